import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBgpPeersJson } from '../../../shared/cilium/parsers/bgp-peers-json.js';
import { parseConnectivityConsole } from '../../../shared/cilium/parsers/connectivity-console.js';
import { parseConnectivityJunit, summariseConnectivityJunit } from '../../../shared/cilium/parsers/connectivity-junit.js';
import { labCiliumExecutable } from '../../../local/lab/cilium-executable.js';
import { ciliumConnectivityTest } from '../../../agent/cluster/cilium-commands.js';
import type { ConnectivityProgress } from '../../../shared/cilium/parsers/connectivity-progress.js';
import { root, startPeeredLab, type PeeredLab } from './cilium-run.js';

// The lab `cilium` when something is broken: a wrong peer ASN fails exactly the tests that
// exercise BGP, the faults cilium.connectivity=fail|hang behave as the real CLI would look.

let t: PeeredLab;
const cilium = (...args: string[]) => t.cilium(...args);
const setFaults = (...faults: string[]) => t.setFaults(...faults);
const peerAsn = (asn: number) => t.peerAsn(asn);
beforeAll(async () => {
  t = await startPeeredLab();
});
afterAll(async () => {
  await t?.close();
});

describe('lab cilium when something is broken (spawned)', () => {
  it('announces each test as it starts under cilium.connectivity=slow, and the agent\'s runner reports tests done of the total live (issue 19 item 1)', async () => {
    await setFaults('cilium.connectivity=slow');
    try {
      const seen: ConnectivityProgress[] = [];
      const target = { binaryPath: await labCiliumExecutable(root), kubeconfigPath: t.lab.endpoints.kubernetes.kubeconfig };
      const run = await ciliumConnectivityTest(target, { junitFile: join(t.dir, 'slow.xml'), timeoutSeconds: 120, onProgress: (p) => seen.push(p) });
      expect(run.exitCode).toBe(0);
      const total = seen[0]?.total ?? 0;
      expect(total).toBeGreaterThan(5);
      // A report per test line, in order, while the run went on: the count never goes back and
      // reaches the last test; a test that runs is named, a skipped one counts as done.
      const done = seen.map((p) => p.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(done.at(-1)).toBeGreaterThanOrEqual(total - 1);
      expect(seen.length).toBe(total);
      expect(seen[0]).toEqual({ done: 0, total, running: 'no-policies' });
      expect(seen.every((p) => p.total === total)).toBe(true);
      expect(seen.filter((p) => p.running !== undefined).length).toBeGreaterThan(total / 2);
    } finally {
      await setFaults();
    }
  });

  it('fails bgp-control-plane-v2 and north-south-loadbalancing when the Cilium peer ASN is wrong, in both formats', async () => {
    await peerAsn(65002);
    try {
      const junit = join(t.dir, 'fail.xml');
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
      const junit = join(t.dir, 'hang.xml');
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

  it('keeps hanging without --timeout until it is signalled, then cancels with context canceled', async () => {
    await setFaults('cilium.connectivity=hang');
    try {
      const child = spawn(process.execPath, [await labCiliumExecutable(root), 'connectivity', 'test'], { cwd: t.dir, env: t.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      for (let i = 0; i < 200 && !stdout.includes('Test [no-policies]'); i++) await new Promise((r) => setTimeout(r, 25));
      // Well past the moment an idle Node process would have exited on its own.
      await new Promise((r) => setTimeout(r, 1500));
      expect(child.exitCode).toBeNull();
      child.kill('SIGTERM');
      expect(await code).toBe(1);
      expect(stdout.trimEnd().split('\n').at(-1)).toBe('Cancellation request (context canceled) received, cancelling tests...');
      expect(stderr).toBe('context canceled\n');
    } finally {
      await setFaults();
    }
  });
});
