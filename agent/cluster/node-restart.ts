import * as z from '../../shared/zod.js';
import type { KubeRef } from '../../shared/plan/index.js';
import type { ClusterClient } from './cluster-client.js';
import { NodeGateFailed, WaitTimedOut } from './errors.js';
import { systemClock, type Clock } from '../../shared/runtime/clock.js';

// A DaemonSet restarted one node at a time (issue 15 §4): delete the node's pod, wait until the
// DaemonSet controller has a new one running and ready there, then ask the gate whether that
// node's agent is healthy before going on. The first node that fails stops the restart: the
// nodes after it keep their running agents, and the op fails so the change rolls back.

const Pod = z.looseObject({
  metadata: z.looseObject({ name: z.string(), uid: z.optional(z.string()) }),
  spec: z.optional(z.looseObject({ nodeName: z.optional(z.string()) })),
  status: z.optional(z.looseObject({ phase: z.optional(z.string()), hostIP: z.optional(z.string()), conditions: z.optional(z.array(z.looseObject({ type: z.string(), status: z.string() }))) })),
});

export interface RestartedPod {
  readonly name: string;
  readonly node: string;
  readonly hostIP?: string;
}

/** Says why the node's agent is not healthy yet, or undefined when it is. */
export type AgentGate = (pod: RestartedPod) => Promise<string | undefined>;

export async function restartNodeByNode(
  client: ClusterClient,
  ref: KubeRef,
  podSelector: string,
  opts: { timeoutMs: number; intervalMs?: number; gate: AgentGate; clock?: Clock; signal?: AbortSignal },
): Promise<RestartedPod[]> {
  const clock = opts.clock ?? systemClock;
  const sleep = (ms: number) => clock.sleep(ms, opts.signal);
  const namespace = ref.namespace ?? 'kube-system';
  const list = async () => (await client.list('v1', 'Pod', { namespace, labelSelector: podSelector })).flatMap((o) => {
    const p = Pod.safeParse(o);
    return p.success && p.data.spec?.nodeName ? [p.data] : [];
  });
  const before = (await list()).sort((a, b) => (a.spec?.nodeName ?? '').localeCompare(b.spec?.nodeName ?? ''));
  const deadline = clock.now() + opts.timeoutMs;
  const done: RestartedPod[] = [];
  for (const old of before) {
    const node = old.spec?.nodeName ?? '';
    await client.delete({ apiVersion: 'v1', kind: 'Pod', name: old.metadata.name, namespace });
    let fresh: z.infer<typeof Pod> | undefined;
    for (;;) {
      fresh = (await list()).find((p) => p.spec?.nodeName === node && p.metadata.uid !== old.metadata.uid && ready(p));
      if (fresh) break;
      if (clock.now() > deadline) throw new WaitTimedOut(`${ref.kind} ${namespace}/${ref.name}: no new ready pod on ${node} after deleting ${old.metadata.name}; restarted so far: ${names(done)}`, old);
      await sleep(opts.intervalMs ?? 500);
    }
    const pod: RestartedPod = { name: fresh.metadata.name, node, ...(fresh.status?.hostIP ? { hostIP: fresh.status.hostIP } : {}) };
    let problem = await opts.gate(pod);
    while (problem !== undefined && clock.now() <= deadline) {
      await sleep(opts.intervalMs ?? 500);
      problem = await opts.gate(pod);
    }
    if (problem !== undefined) {
      const left = before.slice(before.indexOf(old) + 1).map((p) => p.spec?.nodeName ?? '');
      throw new NodeGateFailed(`${ref.kind} ${namespace}/${ref.name}: the agent on ${node} (${pod.name}) is not healthy: ${problem}; stopped before ${left.length > 0 ? left.join(', ') : 'no further node'}`);
    }
    done.push(pod);
  }
  return done;
}

function ready(p: z.infer<typeof Pod>): boolean {
  return p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

function names(pods: readonly RestartedPod[]): string {
  return pods.length > 0 ? pods.map((p) => p.node).join(', ') : 'none';
}
