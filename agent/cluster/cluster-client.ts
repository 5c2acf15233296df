import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject, type ResponseContext } from '@kubernetes/client-node';
import { mapClusterError } from './api-errors.js';
import { ClusterUnavailable, NotFound, WaitTimedOut } from './errors.js';
import { describeRef, KubeList, KubeObject, ObjectRef, refOf, toApplyConfiguration } from './kube-object.js';
import { safeApiVersion, safeKind, safeLabelSelector, safeName, safeNamespace, safeRef } from './kube-names.js';
import { rolloutProgress } from './rollout.js';
import { systemClock, type Clock } from '../../shared/runtime/clock.js';

// The agent's Kubernetes adapter over @kubernetes/client-node 1.x (2.x crashes on Node 20, see
// reference/aws.md §6): server-side apply with one fixed field manager, reads, lists, deletes,
// waits, and the rolling restart that config changes need. Every error leaves as a named class.
export interface ClusterClientOptions {
  kubeconfigPath: string;
  /** kube context; the kubeconfig's current context when omitted. */
  context?: string;
  fieldManager?: string;
  /** Per request; client-node 1.x has no timeout of its own. */
  requestTimeoutMs?: number;
  now?: () => Date;
  /** Waits between polls of waitForCondition/waitForRollout. */
  clock?: Clock;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Ends the wait at once (the step's signal). */
  signal?: AbortSignal;
}

export type WorkloadKind = 'DaemonSet' | 'Deployment';

export interface ClusterClient {
  readonly fieldManager: string;
  /** One server-side apply (`force` takes fields from other managers; use it deliberately). */
  applyServerSide(obj: KubeObject, opts?: { dryRun?: boolean; force?: boolean }): Promise<KubeObject>;
  /** dryRun=All first, then the real apply: nothing is written if the server would refuse it. */
  applyWithDryRun(obj: KubeObject, opts?: { force?: boolean }): Promise<KubeObject>;
  read(ref: ObjectRef): Promise<KubeObject>;
  tryRead(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, opts?: { namespace?: string; labelSelector?: string; fieldSelector?: string }): Promise<KubeObject[]>;
  /** Idempotent: 'absent' when there was nothing to delete (rollback may run twice). */
  delete(ref: ObjectRef, opts?: { dryRun?: boolean }): Promise<'deleted' | 'absent'>;
  waitForCondition(ref: ObjectRef, predicate: (obj: KubeObject | undefined) => boolean, opts: WaitOptions): Promise<KubeObject | undefined>;
  /** What `kubectl rollout restart` does: stamp the pod template with restartedAt. */
  restartWorkload(kind: WorkloadKind, namespace: string, name: string): Promise<KubeObject>;
  waitForRollout(kind: WorkloadKind, namespace: string, name: string, opts: WaitOptions): Promise<KubeObject>;
}

/**
 * Keeps objects as plain JSON both ways: the typed models would drop fields they do not know on
 * the way out and turn timestamps into Dates on the way back.
 */
class PlainObjectApi extends KubernetesObjectApi {
  protected override async getSerializationType(): Promise<string> {
    return 'PlainJsonObject';
  }

  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext, type?: string): Promise<T> {
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return JSON.parse(await response.body.text()) as T;
    return super.processResponse(response, type);
  }

  /** What the static makeApiClient does for the base class: default namespace from the context. */
  useContextNamespace(kc: KubeConfig): void {
    this.setDefaultNamespace(kc);
  }
}

export function createClusterClient(opts: ClusterClientOptions): ClusterClient {
  const kc = new KubeConfig();
  kc.loadFromFile(opts.kubeconfigPath);
  if (opts.context) kc.setCurrentContext(opts.context);
  const api = kc.makeApiClient(PlainObjectApi);
  api.useContextNamespace(kc);
  const fieldManager = opts.fieldManager ?? 'changeflow';
  const timeoutMs = opts.requestTimeoutMs ?? 30_000;
  const now = opts.now ?? (() => new Date());
  const clock = opts.clock ?? systemClock;

  async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ClusterUnavailable(`${doing}: no answer from the API server within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw err instanceof ClusterUnavailable ? err : mapClusterError(err, doing);
    } finally {
      clearTimeout(timer);
    }
  }

  const header = (ref: ObjectRef) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });

  const client: ClusterClient = {
    fieldManager,
    async applyServerSide(obj, o = {}) {
      const body = toApplyConfiguration(KubeObject.parse(obj));
      safeRef(refOf(body));
      const verb = o.dryRun ? 'dry-run apply' : 'apply';
      const out = await call(`${verb} ${describeRef(refOf(body))}`, () =>
        api.patch(body, undefined, o.dryRun ? 'All' : undefined, fieldManager, o.force ?? false, PatchStrategy.ServerSideApply),
      );
      return KubeObject.parse(out);
    },
    async applyWithDryRun(obj, o = {}) {
      await client.applyServerSide(obj, { dryRun: true, force: o.force });
      return client.applyServerSide(obj, { force: o.force });
    },
    async read(ref) {
      const r = safeRef(ObjectRef.parse(ref));
      return KubeObject.parse(await call(`read ${describeRef(r)}`, () => api.read(header(r))));
    },
    async tryRead(ref) {
      try {
        return await client.read(ref);
      } catch (err) {
        if (err instanceof NotFound) return undefined;
        throw err;
      }
    },
    async list(apiVersion, kind, o = {}) {
      safeApiVersion(apiVersion);
      safeKind(kind);
      safeNamespace(o.namespace);
      safeLabelSelector(o.labelSelector);
      safeLabelSelector(o.fieldSelector);
      const out = await call(`list ${kind} (${apiVersion})${o.namespace ? ' in ' + o.namespace : ''}`, () =>
        api.list(apiVersion, kind, o.namespace, undefined, undefined, undefined, o.fieldSelector, o.labelSelector),
      );
      return KubeList.parse(out).items.map((i) => KubeObject.parse({ apiVersion, kind, ...i }));
    },
    async delete(ref, o = {}) {
      const r = safeRef(ObjectRef.parse(ref));
      try {
        await call(`delete ${describeRef(r)}`, () => api.delete(header(r), undefined, o.dryRun ? 'All' : undefined));
        return 'deleted';
      } catch (err) {
        if (err instanceof NotFound) return 'absent';
        throw err;
      }
    },
    async waitForCondition(ref, predicate, o) {
      const deadline = clock.now() + o.timeoutMs;
      let last: KubeObject | undefined;
      for (;;) {
        last = await client.tryRead(ref);
        if (predicate(last)) return last;
        if (clock.now() >= deadline) {
          throw new WaitTimedOut(`${describeRef(ref)} did not reach the expected state within ${o.timeoutMs} ms; last seen: ${last ? 'present' : 'absent'}`, last);
        }
        await clock.sleep(Math.min(o.intervalMs ?? 500, Math.max(0, deadline - clock.now())), o.signal);
      }
    },
    async restartWorkload(kind, namespace, name) {
      safeNamespace(namespace);
      safeName(name);
      const patch = {
        apiVersion: 'apps/v1', kind, metadata: { name, namespace },
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now().toISOString().replace(/\.\d{3}Z$/, 'Z') } } } },
      };
      const out = await call(`restart ${kind} ${namespace}/${name}`, () =>
        api.patch(patch, undefined, undefined, fieldManager, undefined, PatchStrategy.MergePatch),
      );
      return KubeObject.parse(out);
    },
    async waitForRollout(kind, namespace, name, o) {
      const ref = { apiVersion: 'apps/v1', kind, name, namespace };
      let message = '';
      const obj = await client.waitForCondition(
        ref,
        (w) => {
          if (!w) return false;
          const p = rolloutProgress(w);
          message = p.message;
          if (p.failed) throw new WaitTimedOut(`rollout of ${describeRef(ref)} failed: ${p.message}`, w);
          return p.done;
        },
        o,
      ).catch((err: unknown) => {
        if (err instanceof WaitTimedOut && message && !err.message.includes(message)) throw new WaitTimedOut(`${err.message} (${message})`, err.last);
        throw err;
      });
      if (!obj) throw new NotFound(`${describeRef(ref)} disappeared during its rollout`);
      return obj;
    },
  };
  return client;
}
