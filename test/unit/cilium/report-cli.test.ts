import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConnectivityReport } from '../../../shared/cilium/parsers/connectivity-report.js';
import { fixtureDir } from './cluster-fixtures.js';

// `changeflow report` through the real entry point: exit codes are the contract (docs/architecture.md §3.4).

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../../bin/changeflow.mjs');

async function report(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'report', ...args], { timeout: 15_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe.concurrent('changeflow report', () => {
  it('exits 0 and says PASS for a passing JUnit file', async () => {
    const r = await report(join(fixtureDir, 'junit/pass.xml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^connectivity test: PASS \(JUnit .*pass\.xml\)\n {2}2 tests ran, 0 failed, 1 skipped\n$/);
  });

  it('exits 1 and lists each failed test with its actions and the first line of the message', async () => {
    const r = await report(join(fixtureDir, 'console/new-format-packet-drops-41520.log'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('connectivity test: FAIL (console log');
    expect(r.stdout).toContain('✗ [cilium-test-1] no-unexpected-packet-drops  (owners: @cilium/sig-agent, @cilium/sig-datapath, @cilium/ci-structure)');
    expect(r.stdout).toContain('    - no-unexpected-packet-drops/no-unexpected-packet-drops:kind-kind/kind-worker2: Found unexpected packet drops:\n');
    expect(r.stdout).not.toContain('"labels"');
  });

  it('exits 2 when the log has no verdict line', async () => {
    const r = await report(join(fixtureDir, 'console/no-verdict-paused-37819.log'));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('INCONCLUSIVE');
    expect(r.stdout).toContain('no verdict line');
  });

  it('exits 3 with a sentence on stderr when the file cannot be read', async () => {
    const r = await report(join(fixtureDir, 'console/does-not-exist.log'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^cannot read .*does-not-exist\.log: ENOENT.*— pass the JUnit file/);
  });

  it('prints the summary as JSON with --json and keeps the exit code', async () => {
    const r = await report(join(fixtureDir, 'junit/setup-failure-infrastructure-provisioning.xml'), '--json');
    expect(r.code).toBe(1);
    const parsed = ConnectivityReport.parse(JSON.parse(r.stdout));
    expect(parsed).toMatchObject({ source: 'junit', verdict: 'fail', setupFailure: 'timeout reached waiting for deployment cilium-test-1/client to become ready (last error: pods not ready)' });
  });
});
