import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../local/lab/index.js';
import { testFailed } from '../../../local/lab/world/connectivity-suite.js';
import { KubeClient } from './lab-clients.js';

// cilium-config changes take effect when ds/cilium restarts: until then check-log-errors finds
// the agents running with the old configuration; after `rollout restart` the suite passes again.

let lab: Lab;
let kube: KubeClient;

beforeAll(async () => {
  lab = await startLab();
  kube = new KubeClient(lab.endpoints.kubernetes);
});
afterAll(async () => {
  await lab?.close();
});

const failing = (): string[] => lab.world.connectivity({ namespace: 'cilium-test-1' }).tests.filter(testFailed).map((t) => t.name);

describe('lab world: cilium-config rollouts', () => {
  it('fails check-log-errors after a cilium-config change until the agents have restarted', async () => {
    expect(failing()).toEqual([]);
    await kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'bpf-lb-mode': 'dsr' } });
    expect(failing()).toEqual(['check-log-errors']);
    const message = lab.world.connectivity({ namespace: 'cilium-test-1' }).tests.find(testFailed)?.scenarios[0]?.actions[0]?.failure;
    expect(message).toMatch(/keys=bpf-lb-mode .*rollout restart ds\/cilium/);

    await kube.apply({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium', namespace: 'kube-system' },
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-11-23T05:00:00Z' } } } },
    });
    for (let i = 0; i < 100 && failing().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(failing()).toEqual([]);
  });
});
