import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ApplyConflict, createClusterClient, KubeObject, type ClusterClient } from '../../../agent/cluster/index.js';
import { startKubernetesLab, type KubernetesLab } from '../../../local/lab/kubernetes/lab.js';

// Acceptance 2 of issue 5: apply → rollback through the adapter restores the lab dump byte for byte.
let lab: KubernetesLab;
let client: ClusterClient;

const dump = async (): Promise<string> => (await fetch(`${lab.httpUrl}/_lab/dump`)).text();
const ciliumConfig = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cilium-config', namespace: 'kube-system' };

async function manifests(): Promise<KubeObject[]> {
  const text = await readFile(join(import.meta.dirname, '../../fixtures/kubernetes/bgp-peering-prod-a.yaml'), 'utf8');
  return parseAllDocuments(text).map((d) => KubeObject.parse(d.toJSON()));
}

beforeAll(async () => {
  lab = await startKubernetesLab({ rolloutDelayMs: 50 });
  client = createClusterClient({ kubeconfigPath: lab.kubeconfigPath, context: 'prod-a' });
});

afterAll(async () => {
  await lab?.close();
});

describe('cluster adapter apply and rollback against the lab cluster', () => {
  it('restores the dump byte-identically after apply, config change, restart and their inverses', async () => {
    await lab.settle();
    const before = await dump();
    const previous = await client.read(ciliumConfig);
    const previousAlgorithm = (previous as unknown as { data: Record<string, string> }).data['bpf-lb-algorithm'];
    expect(previousAlgorithm).toBe('random');

    // apply: new Cilium objects (dry run first), then a cilium-config key that helm owns
    const objects = await manifests();
    for (const obj of objects) await client.applyWithDryRun(obj);
    const change = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'bpf-lb-algorithm': 'maglev' } };
    const refused = await client.applyServerSide(change).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplyConflict);
    expect((refused as ApplyConflict).conflicts).toEqual([{ manager: '"helm" using v1', field: '.data.bpf-lb-algorithm' }]);
    await client.applyServerSide(change, { force: true });
    await client.restartWorkload('DaemonSet', 'kube-system', 'cilium');
    await client.waitForRollout('DaemonSet', 'kube-system', 'cilium', { timeoutMs: 5_000, intervalMs: 25 });
    await client.waitForCondition({ apiVersion: 'cilium.io/v2', kind: 'CiliumBGPNodeConfig', name: 'prod-a-w1' }, (o) => o !== undefined, { timeoutMs: 5_000, intervalMs: 25 });
    await lab.settle();
    const applied = await dump();
    expect(applied).not.toBe(before);
    expect(applied).toContain('"bpf-lb-algorithm":"maglev"');
    expect(applied).toContain('cilium.io/v2/CiliumBGPNodeConfig/prod-a-w1');

    // rollback: inverse ops in reverse order
    await client.applyServerSide({ ...change, data: { 'bpf-lb-algorithm': previousAlgorithm ?? '' } }, { force: true });
    await client.restartWorkload('DaemonSet', 'kube-system', 'cilium');
    await client.waitForRollout('DaemonSet', 'kube-system', 'cilium', { timeoutMs: 5_000, intervalMs: 25 });
    for (const obj of [...objects].reverse()) {
      expect(await client.delete({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name })).toBe('deleted');
    }
    expect(await client.delete({ apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', name: 'pool-red' })).toBe('absent');
    await lab.settle();

    expect(await dump()).toBe(before);
  });
});
