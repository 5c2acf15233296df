import { clone, objectAt, stringAt, type JsonObject } from './json.js';
import type { LabStore } from './lab-store.js';

// The DaemonSet controller's part for the Cilium agents (ds/cilium; the lab runs no other
// DaemonSet's pods): one agent pod per node, recreated when deleted (`kubectl delete pod`, the way
// a node-by-node restart goes) and replaced when a rollout of ds/cilium completes. A new pod gets
// a new uid, creationTimestamp and startTime — an agent that started after the change and so read
// cilium-config anew. The lab keeps each node's pod name, so a change and its rollback leave the
// dump as it was (real pods get a fresh random suffix).

const manager = 'kube-controller-manager';
const kubelet = 'kubelet';
const namespace = 'kube-system';
const selector = 'k8s-app=cilium';

export class AgentPods {
  /** The last pod seen per node: the template for its replacement. */
  private readonly byNode = new Map<string, Readonly<JsonObject>>();

  constructor(
    private readonly store: LabStore,
    private readonly now: () => Date,
  ) {}

  /** Remembers the running pods and recreates the ones that were deleted. */
  reconcile(): void {
    const running = new Set<string>();
    for (const pod of this.store.peek('v1', 'Pod', { namespace, labelSelector: selector })) {
      const node = stringAt(objectAt(pod, 'spec'), 'nodeName');
      if (!node) continue;
      running.add(node);
      this.byNode.set(node, pod);
    }
    for (const [node, pod] of this.byNode) if (!running.has(node)) this.start(pod);
  }

  /** A finished rollout of ds/cilium: every agent pod is replaced by a new one. */
  replaceAll(): void {
    this.reconcile();
    for (const pod of this.byNode.values()) {
      const name = stringAt(objectAt(pod, 'metadata'), 'name') ?? '';
      this.store.delete({ apiVersion: 'v1', kind: 'Pod', name, namespace });
      this.start(pod);
    }
  }

  private start(template: Readonly<JsonObject>): void {
    const meta = objectAt(template, 'metadata') ?? {};
    const spec = clone(objectAt(template, 'spec') ?? {});
    const name = stringAt(meta, 'name') ?? '';
    const labels = clone(objectAt(meta, 'labels') ?? {});
    const created = this.store.create(manager, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec });
    const status = objectAt(template, 'status') ?? {};
    const container = stringAt((Array.isArray(spec['containers']) ? spec['containers'][0] : undefined) ?? {}, 'name') ?? 'cilium-agent';
    const image = stringAt((Array.isArray(spec['containers']) ? spec['containers'][0] : undefined) ?? {}, 'image') ?? '';
    const at = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.store.writeStatus(kubelet, { apiVersion: 'v1', kind: 'Pod', name, namespace }, {
      phase: 'Running', hostIP: stringAt(status, 'hostIP') ?? '', podIP: stringAt(status, 'podIP') ?? '', startTime: at,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }],
      containerStatuses: [{ name: container, image, ready: true, restartCount: 0, started: true, state: { running: { startedAt: at } } }],
    });
    this.byNode.set(stringAt(spec, 'nodeName') ?? '', this.store.get('v1', 'Pod', name, namespace) ?? created);
  }
}
