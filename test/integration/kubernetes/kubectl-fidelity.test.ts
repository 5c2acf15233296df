import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesLab, type KubernetesLab } from '../../../local/lab/kubernetes/lab.js';

// Acceptance 1 of issue 5: real kubectl against the lab cluster behaves as against a real API server.
const run = promisify(execFile);
const manifests = join(import.meta.dirname, '../../fixtures/kubernetes/bgp-peering-prod-a.yaml');

let lab: KubernetesLab;
let dir: string;

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('kubectl', ['--kubeconfig', lab.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubectl-fidelity-'));
  lab = await startKubernetesLab({ dataDir: dir, rolloutDelayMs: 100 });
});

afterAll(async () => {
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kubectl against the lab cluster', () => {
  it('server-side applies the Cilium manifests and reports each object serverside-applied', async () => {
    const r = await kubectl('apply', '--server-side', '-f', manifests);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ciliumbgpclusterconfig.cilium.io/changeflow-bgp serverside-applied');
    expect(r.stdout).toContain('ciliumloadbalancerippool.cilium.io/pool-red serverside-applied');
  });

  it('returns the applied object from get -o json with kubectl as its Apply manager', async () => {
    const r = await kubectl('get', 'ciliumbgpclusterconfigs', '-o', 'json', '--show-managed-fields');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { items: Array<{ metadata: { name: string; managedFields: Array<{ manager: string; operation: string }> }; spec: { bgpInstances: Array<{ localASN: number }> } }> };
    expect(list.items.map((i) => i.metadata.name)).toEqual(['changeflow-bgp']);
    expect(list.items[0]?.spec.bgpInstances[0]?.localASN).toBe(64512);
    expect(list.items[0]?.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }));
  });

  it('lists the operator-made CiliumBGPNodeConfigs by name in table output', async () => {
    await lab.settle();
    const r = await kubectl('get', 'ciliumbgpnodeconfigs');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4']);
    const short = await kubectl('get', 'cbgpnode', 'prod-a-w4', '-o', 'jsonpath={.status.bgpInstances[0].peers[*].peeringState}');
    expect(short.stdout).toBe('active active');
  });

  it('fails a conflicting apply from another field manager with the API server 409 message', async () => {
    const changed = join(dir, 'changed.yaml');
    const { readFile } = await import('node:fs/promises');
    await writeFile(changed, (await readFile(manifests, 'utf8')).replace('localASN: 64512', 'localASN: 64513'));
    const r = await kubectl('apply', '--server-side', '--field-manager=other-team', '-f', changed);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.bgpInstances[name="instance-64512"].localASN');
    expect(r.stderr).toContain('--force-conflicts');
    const forced = await kubectl('apply', '--server-side', '--field-manager=other-team', '--force-conflicts', '-f', changed);
    expect(forced.code).toBe(0);
    const asn = await kubectl('get', 'cbgpcluster', 'changeflow-bgp', '-o', 'jsonpath={.spec.bgpInstances[0].localASN}');
    expect(asn.stdout).toBe('64513');
  });

  it('deletes the objects and the operator removes the node configs they produced', async () => {
    const r = await kubectl('delete', '-f', manifests);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ciliumbgpclusterconfig.cilium.io "changeflow-bgp" deleted');
    await lab.settle();
    const left = await kubectl('get', 'ciliumbgpnodeconfigs', '-o', 'name');
    expect(left.stdout.trim()).toBe('');
    const missing = await kubectl('get', 'cbgpcluster', 'changeflow-bgp');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ciliumbgpclusterconfigs.cilium.io "changeflow-bgp" not found');
  });

  it('restarts ds/cilium and rollout status waits for the emulated rollout to finish', async () => {
    const restart = await kubectl('rollout', 'restart', 'ds/cilium', '-n', 'kube-system');
    expect(restart.stdout).toContain('daemonset.apps/cilium restarted');
    const status = await kubectl('rollout', 'status', 'ds/cilium', '-n', 'kube-system', '--timeout=15s');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('daemon set "cilium" successfully rolled out');
    const gen = await kubectl('get', 'ds', 'cilium', '-n', 'kube-system', '-o', 'jsonpath={.metadata.generation}/{.status.observedGeneration}/{.status.updatedNumberScheduled}');
    expect(gen.stdout).toBe('2/2/5');
  });

  it('refuses a kubeconfig with the wrong token as Unauthorized', async () => {
    const r = await kubectl('get', 'nodes', '--token', 'not-the-token');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|provide credentials/);
  });
});
