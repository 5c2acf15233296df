import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterClient, NodeGateFailed, restartNodeByNode, type ClusterClient, type RestartedPod } from '../../../agent/cluster/index.js';
import { startKubernetesLab, type KubernetesLab } from '../../../local/lab/kubernetes/index.js';

// The agents restarted one node at a time (issue 15 §4), against the lab cluster whose DaemonSet
// controller recreates a deleted agent pod: node by node in name order, each new pod ready before
// the gate is asked, and a gate that says no stops the restart at that node.

let lab: KubernetesLab;
let client: ClusterClient;
const ref = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium', namespace: 'kube-system' };
const uids = () => lab.store.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=cilium' }).map((p) => String((p['metadata'] as { uid: string }).uid));

beforeAll(async () => {
  lab = await startKubernetesLab();
  client = createClusterClient({ kubeconfigPath: lab.kubeconfigPath });
});
afterAll(async () => {
  await lab?.close();
});

describe('node-by-node restart of ds/cilium', () => {
  it('replaces every agent pod in node order, asking the gate about each new pod once it is ready', async () => {
    const before = uids();
    const asked: RestartedPod[] = [];
    const done = await restartNodeByNode(client, ref, 'k8s-app=cilium', { timeoutMs: 20_000, intervalMs: 20, gate: async (pod) => (asked.push(pod), undefined) });
    expect(done.map((p) => p.node)).toEqual(['prod-a-cp1', 'prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4']);
    expect(asked).toEqual(done);
    expect(done[1]).toMatchObject({ node: 'prod-a-w1', hostIP: '192.168.2.11' });
    expect(uids().filter((u) => before.includes(u))).toEqual([]);
  });

  it('stops at the first node whose agent stays unhealthy, leaving the later nodes untouched', async () => {
    const before = uids();
    const gate = async (pod: RestartedPod) => (pod.node === 'prod-a-w2' ? 'cilium status shows it as Failure' : undefined);
    await expect(restartNodeByNode(client, ref, 'k8s-app=cilium', { timeoutMs: 300, intervalMs: 20, gate })).rejects.toThrow(NodeGateFailed);
    await expect(restartNodeByNode(client, ref, 'k8s-app=cilium', { timeoutMs: 300, intervalMs: 20, gate })).rejects.toThrow(/the agent on prod-a-w2 \(cilium-\w+\) is not healthy: cilium status shows it as Failure; stopped before prod-a-w3, prod-a-w4$/);
    const after = uids();
    // Twice through cp1, w1 and w2; w3 and w4 keep the agents they had.
    expect(after.filter((u) => before.includes(u))).toHaveLength(2);
  });
});
