import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBgpPeersJson } from '../../../shared/cilium/parsers/bgp-peers-json.js';
import { parseBgpPeersTable } from '../../../shared/cilium/parsers/bgp-peers-table.js';
import { parseCiliumStatusJson } from '../../../shared/cilium/parsers/cilium-status.js';
import { parseConnectivityConsole } from '../../../shared/cilium/parsers/connectivity-console.js';
import { parseConnectivityJunit, summariseConnectivityJunit } from '../../../shared/cilium/parsers/connectivity-junit.js';
import { startPeeredLab, type PeeredLab } from './cilium-run.js';

// The lab `cilium` as the agent runs it, on a healthy peered lab: a separate process that finds
// the lab through the kubeconfig. Its output is read back with the product's own parsers, which
// proves the formats. Broken labs and faults: cilium-cli-faults.test.ts.

let t: PeeredLab;
const cilium = (...args: string[]) => t.cilium(...args);
beforeAll(async () => {
  t = await startPeeredLab();
});
afterAll(async () => {
  await t?.close();
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
    const junit = join(t.dir, 'pass.xml');
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
