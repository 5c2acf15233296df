import { labelsOf, objectAt, stringAt, type JsonObject } from './json.js';
import type { LabStore } from './lab-store.js';
import { matchesLabelSelector } from './label-selector.js';
import { daemonSetStatus, deploymentStatus } from './seeds.js';

// The workload controllers, just enough for `kubectl rollout restart` + `rollout status`: a new
// generation is observed at once with no pod updated yet, and after `delayMs` every pod is.
const manager = 'kube-controller-manager';

export class Rollouts {
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: LabStore,
    private readonly delayMs: number,
    /** Called when a rollout has finished, before its status says so (ds/cilium replaces its pods). */
    private readonly rolledOut: (kind: string, name: string) => void = () => undefined,
  ) {}

  reconcile(): void {
    const nodes = this.store.peek('v1', 'Node');
    for (const ds of this.store.list('apps/v1', 'DaemonSet')) {
      const nodeSelector = objectAt(objectAt(objectAt(objectAt(ds, 'spec'), 'template'), 'spec'), 'nodeSelector') ?? {};
      const desired = nodes.filter((n) => matchesLabelSelector({ matchLabels: nodeSelector }, labelsOf(n))).length;
      this.step(ds, 'DaemonSet', (gen, done) => daemonSetStatus(desired, gen, done ? desired : 0));
    }
    for (const d of this.store.list('apps/v1', 'Deployment')) {
      const replicas = objectAt(d, 'spec')?.['replicas'];
      const n = typeof replicas === 'number' ? replicas : 1;
      this.step(d, 'Deployment', (gen, done) => deploymentStatus(n, gen, done ? n : 0));
    }
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private step(obj: JsonObject, kind: string, status: (generation: number, done: boolean) => JsonObject): void {
    const meta = objectAt(obj, 'metadata') ?? {};
    const generation = typeof meta['generation'] === 'number' ? meta['generation'] : 1;
    const observed = objectAt(obj, 'status')?.['observedGeneration'];
    const ref = { apiVersion: 'apps/v1', kind, name: stringAt(meta, 'name') ?? '', namespace: stringAt(meta, 'namespace') };
    const key = `${kind}/${ref.namespace}/${ref.name}`;
    if (observed === generation || this.timers.has(key)) return;
    this.store.writeStatus(manager, ref, status(generation, false));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        const now = this.store.get(ref.apiVersion, kind, ref.name, ref.namespace);
        const gen = objectAt(now, 'metadata')?.['generation'];
        if (!now) return;
        this.rolledOut(kind, ref.name);
        this.store.writeStatus(manager, ref, status(typeof gen === 'number' ? gen : generation, true));
      }, this.delayMs),
    );
  }
}
