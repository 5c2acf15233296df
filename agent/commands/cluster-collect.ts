import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { ClusterClient, CiliumTarget } from '../cluster/index.js';
import { ciliumStatusJson, NotFound } from '../cluster/index.js';
import type { CommandContext } from '../command-context.js';
import { clusterCollectQueries } from '../../shared/cilium/facts/queries.js';
import type { ChangeSpec } from '../../shared/spec/index.js';
import { changeObjects } from '../../shared/cilium/manifests/desired.js';
import { managedByLabel } from '../../shared/cilium/ownership.js';
import { ChangeflowError } from '../../shared/errors.js';

// The cluster's half of gather-facts: the objects the change touches and the nodes, CRDs and
// config the prechecks read, as `kubectl get -o json` would show them, plus `cilium status` when
// the command asks for it (lab fact captures do; a workflow's gather-facts does not). The
// queries are built here from the spec and the configured Cilium namespace, never from the task.
// What a listed object carries that no rule reads is dropped here, not in the workflow: on a
// cluster of 500 nodes and 200 pools it is most of the answer (issue 20). managedFields stay on
// the objects the change writes (cluster.conflict.field-manager reads who owns them) and on
// changeflow's own; a CRD keeps its names and versions, not its schema.

/** kind/name of every object the spec writes (names do not depend on the Cilium version). */
function writtenNames(spec: ChangeSpec): Set<string> {
  try {
    return new Set(changeObjects(spec, '1.18.0').map((o) => `${o.object.kind}/${o.object.metadata.name}`));
  } catch (err) {
    if (err instanceof ChangeflowError) return new Set();
    throw err;
  }
}

function slimmed(kind: string, item: unknown, written: ReadonlySet<string>): unknown {
  if (kind === 'CustomResourceDefinition') return crdNames(item);
  const meta = item && typeof item === 'object' && 'metadata' in item ? (item as { metadata?: { name?: unknown; labels?: Record<string, unknown> } }).metadata : undefined;
  const ours = meta?.labels?.[managedByLabel.key] === managedByLabel.value;
  return ours || written.has(`${kind}/${String(meta?.name)}`) ? item : withoutManagedFields(item);
}

function crdNames(item: unknown): unknown {
  const crd = item as { metadata?: { name?: unknown; labels?: unknown }; spec?: { group?: unknown; names?: unknown; versions?: Array<{ name?: unknown; served?: unknown; storage?: unknown }> } };
  if (!crd?.spec || !Array.isArray(crd.spec.versions)) return item;
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: crd.metadata?.name, ...(crd.metadata?.labels ? { labels: crd.metadata.labels } : {}) },
    spec: { group: crd.spec.group, names: crd.spec.names, versions: crd.spec.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage })) },
  };
}

function withoutManagedFields(item: unknown): unknown {
  if (!item || typeof item !== 'object' || !('metadata' in item)) return item;
  const { metadata, ...rest } = item as { metadata: unknown };
  if (!metadata || typeof metadata !== 'object') return item;
  const { managedFields: _dropped, ...meta } = metadata as Record<string, unknown>;
  return { ...rest, metadata: meta };
}

// A Secret (the peering's BGP password) is returned without its data: values stay on the bastion.
function withoutSecretData<T extends object>(secret: T): Omit<T, 'data' | 'stringData'> {
  const { data: _d, stringData: _s, ...kept } = secret as T & { data?: unknown; stringData?: unknown };
  return kept;
}

export async function clusterCollect(
  client: ClusterClient,
  cilium: CiliumTarget,
  command: { spec: ChangeSpec; ciliumStatus: boolean },
  ctx: CommandContext,
): Promise<Extract<CommandResult, { type: 'cluster.collect' }>> {
  // `cilium status` asks the agents themselves (their errors are nowhere in the API objects): it
  // runs while the objects are read rather than after them.
  const status = command.ciliumStatus ? ciliumStatusJson(cilium, { waitSeconds: 30, signal: ctx.signal }) : undefined;
  // Awaited below, where its failure is reported; this only keeps a failure of the reads first
  // from leaving the status run's own rejection unhandled.
  status?.catch(() => undefined);
  const written = writtenNames(command.spec);
  // The reads are independent of one another: they go out at once (one API round trip for all,
  // not one each: 14 for an onboarding), and their answers are kept in query order.
  const reads = await Promise.allSettled(clusterCollectQueries(command.spec, cilium.namespace).map(async (q): Promise<unknown[]> => {
    ctx.checkpoint(`collect ${q.kind}`);
    // The Cilium version is not known yet: try each apiVersion until one is served. A kind no
    // version serves (CRD not installed) is simply absent, and the prechecks report it.
    for (const apiVersion of [q.apiVersion, ...(q.fallbackApiVersions ?? [])]) {
      try {
        if (q.name) {
          const obj = await client.tryRead({ apiVersion, kind: q.kind, name: q.name, namespace: q.namespace });
          return obj ? [q.kind === 'Secret' ? withoutSecretData(obj) : obj] : [];
        }
        // Keep the list as the API server returns it, so an empty answer still says "none exist".
        const items = await client.list(apiVersion, q.kind, { namespace: q.namespace, labelSelector: q.labelSelector });
        const kept = q.kind === 'Secret' ? items.map((item) => withoutSecretData(item as object)) : items;
        return [{ apiVersion, kind: `${q.kind}List`, metadata: {}, items: kept.map((item) => slimmed(q.kind, item, written)) }];
      } catch (err) {
        if (!(err instanceof NotFound)) throw err;
      }
    }
    return [];
  }));
  // A failure is reported as the first failing query in order, whichever answered first: the same
  // fault names the same read every time (an unreachable API server: the nodes).
  const refused = reads.find((r) => r.status === 'rejected');
  if (refused) throw refused.reason;
  const objects = reads.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (!status) return { type: 'cluster.collect', objects };
  const run = await status;
  try {
    return { type: 'cluster.collect', objects, ciliumStatus: JSON.parse(run.stdout) as unknown };
  } catch {
    return { type: 'cluster.collect', objects, ciliumStatusError: `cilium status exited ${run.exitCode ?? run.signal}: ${(run.stderr || run.stdout).slice(0, 2000)}` };
  }
}
