import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../local/lab/index.js';
import { parseBgpPeersJson } from '../../../shared/cilium/parsers/bgp-peers-json.js';
import { parseBgpPeersTable } from '../../../shared/cilium/parsers/bgp-peers-table.js';
import { parseCiliumStatusJson } from '../../../shared/cilium/parsers/cilium-status.js';
import { parseConnectivityConsole } from '../../../shared/cilium/parsers/connectivity-console.js';
import { parseConnectivityJunit, summariseConnectivityJunit } from '../../../shared/cilium/parsers/connectivity-junit.js';
import { ApicSession, apicFixture, KubeClient, yamlFixture } from './lab-clients.js';

// The lab `cilium` as the agent runs it: a separate process that finds the lab through the
// kubeconfig. Its output is read back with the product's own parsers, which proves the formats.

const root = join(import.meta.dirname, '../../..');
let lab: Lab;
let dir: string;
let kube: KubeClient;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function cilium(...args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin/cilium-lab.mjs'), ...args], { cwd: dir, env: { ...process.env, KUBECONFIG: lab.endpoints.kubernetes.kubeconfig } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function setFaults(...faults: string[]): Promise<void> {
  const res = await fetch(`${lab.world.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults }) });
  expect(res.status).toBe(200);
}

async function peerAsn(asn: number): Promise<void> {
  const [clusterConfig] = await yamlFixture('cilium-bgp.yaml');
  const spec = clusterConfig?.['spec'] as { bgpInstances: Array<{ peers: Array<{ peerASN: number }> }> };
  for (const p of spec.bgpInstances[0]?.peers ?? []) p.peerASN = asn;
  await kube.apply(clusterConfig ?? {});
  await lab.world.refresh();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changeflow-cilium-cli-'));
  lab = await startLab({ dataDir: dir });
  const apic = await ApicSession.login(lab.endpoints.apic);
  await apic.post('uni/tn-k8s-prod-a', await apicFixture('apic-floating-svi.json'));
  kube = new KubeClient(lab.endpoints.kubernetes);
  for (const obj of await yamlFixture('cilium-bgp.yaml')) await kube.apply(obj);
  await lab.world.refresh();
});
afterAll(async () => {
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// One process at a time: each is a full Node start, and the suite shares two cores with other files.
describe('lab cilium on a healthy, peered lab (spawned)', () => {
  it('status -o json reports every agent ready, as the status parser reads it', async () => {
    const run = await cilium('status', '-o', 'json');
    expect(run.code).toBe(0);
    expect(parseCiliumStatusJson(run.stdout)).toMatchObject({ healthy: true, errors: [], desired: 5, ready: 5, operator: { desired: 2, ready: 2 }, images: ['quay.io/cilium/cilium:v1.18.2'] });
  });

  it('bgp peers prints the same established sessions as a table and as JSON', async () => {
    const [table, json] = await Promise.all([cilium('bgp', 'peers'), cilium('bgp', 'peers', '-o', 'json')]);
    expect([table.code, json.code]).toEqual([0, 0]);
    const view = (rows: ReturnType<typeof parseBgpPeersTable>) => rows.map((r) => `${r.node} ${r.localAsn}→${r.peerAsn} ${r.peerAddress} ${r.state} adv=${r.families[0]?.advertised}`);
    const expected = ['w1', 'w2', 'w3', 'w4'].flatMap((w) => ['192.168.2.1', '192.168.2.2'].map((a) => `prod-a-${w} 64512→65001 ${a} established adv=1`));
    expect(view(parseBgpPeersTable(table.stdout))).toEqual(expected);
    expect(view(parseBgpPeersJson(json.stdout))).toEqual(expected);
  });

  it('connectivity test passes, with a console log and a JUnit file the product parsers read as a pass', async () => {
    const junit = join(dir, 'pass.xml');
    const run = await cilium('connectivity', 'test', '--junit-file', junit, '--timeout', '5m');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✅ \[cilium-test-1\] All 10 tests \(35 actions\) successful, 3 tests skipped, 0 scenarios skipped\.$/m);
    expect(parseConnectivityConsole(run.stdout)).toMatchObject({ verdict: 'pass', namespaces: ['cilium-test-1'], tests: 10 });
    expect(summariseConnectivityJunit(parseConnectivityJunit(await readFile(junit, 'utf8')))).toMatchObject({ verdict: 'pass', tests: 10, skipped: 3, failed: 0 });
  });

  it('connectivity test --test selects tests and marks the others skipped by user', async () => {
    const run = await cilium('connectivity', 'test', '--test', 'bgp-control-plane');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[=] [cilium-test-1] Test [bgp-control-plane-v2] [9/13]');
    expect(run.stdout).toContain('[=] [cilium-test-1] Skipping test [no-policies] [1/13] (skipped by user)');
    expect(run.stdout).toContain('✅ [cilium-test-1] All 1 tests (8 actions) successful, 12 tests skipped, 0 scenarios skipped.');
  });

  it('fails with cilium-cli\'s message when the kubeconfig context does not exist', async () => {
    const run = await cilium('status', '--context', 'nope');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^context "nope" not found in .*kubeconfig; known contexts: prod-a\n$/);
  });
});

describe('lab cilium when something is broken (spawned)', () => {
  it('fails bgp-control-plane-v2 and north-south-loadbalancing when the Cilium peer ASN is wrong, in both formats', async () => {
    await peerAsn(65002);
    try {
      const junit = join(dir, 'fail.xml');
      const run = await cilium('connectivity', 'test', '--junit-file', junit);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('[cilium-test-1] 2 tests failed\n');
      const console = parseConnectivityConsole(run.stdout + run.stderr);
      const fromJunit = summariseConnectivityJunit(parseConnectivityJunit(await readFile(junit, 'utf8')));
      for (const report of [console, fromJunit]) {
        expect(report.verdict).toBe('fail');
        expect(report.failedTests.map((t) => t.name)).toEqual(['north-south-loadbalancing', 'bgp-control-plane-v2']);
      }
      const bgp = console.failedTests.find((t) => t.name === 'bgp-control-plane-v2');
      expect(bgp?.actions).toHaveLength(8);
      expect(bgp?.actions[0]).toEqual({
        name: 'bgp-control-plane-v2/bgpv2-advertisements:bgp-session-0',
        peers: 'prod-a-w1 (192.168.2.11) -> anchor-101 (192.168.2.1:179)',
        message: 'BGP session is active, expected established (lab: peer anchor-101 expects AS 65002 but the fabric opens with AS 65001)',
      });
      const peers = parseBgpPeersJson((await cilium('bgp', 'peers', '-o', 'json')).stdout);
      expect(new Set(peers.map((p) => p.state))).toEqual(new Set(['active']));
    } finally {
      await peerAsn(65001);
    }
  });

  it('fails a test regardless under cilium.connectivity=fail', async () => {
    await setFaults('cilium.connectivity=fail');
    try {
      const run = await cilium('connectivity', 'test');
      expect(run.code).toBe(1);
      expect(parseConnectivityConsole(run.stdout + run.stderr).failedTests.map((t) => t.name)).toEqual(['no-policies']);
    } finally {
      await setFaults();
    }
  });

  it('never reaches a verdict under cilium.connectivity=hang, and --timeout 2s ends it with the real cancellation line', async () => {
    await setFaults('cilium.connectivity=hang');
    try {
      const junit = join(dir, 'hang.xml');
      const run = await cilium('connectivity', 'test', '--timeout', '2s', '--junit-file', junit);
      expect(run.code).toBe(1);
      expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Cancellation request (connectivity test suite timeout (2s) reached) received, cancelling tests...');
      expect(run.stdout).not.toMatch(/✅|📋/);
      expect(run.stderr).toBe('context deadline exceeded\n');
      expect(run.ms).toBeGreaterThanOrEqual(2000);
      expect(parseConnectivityConsole(run.stdout + run.stderr)).toMatchObject({ verdict: 'fail', cancelled: 'connectivity test suite timeout (2s) reached' });
      expect(parseConnectivityJunit(await readFile(junit, 'utf8')).setupFailure).toBe('context deadline exceeded');
    } finally {
      await setFaults();
    }
  });
});
