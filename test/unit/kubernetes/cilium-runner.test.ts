import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciliumConnectivityTest, ciliumStatusJson, CiliumNotRunnable, runCilium } from '../../../agent/cluster/index.js';

const fake = join(import.meta.dirname, '../../fixtures/kubernetes/fake-cilium.mjs');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cilium-runner-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cilium CLI runner', () => {
  it('passes arguments verbatim without a shell and captures both streams and the exit code', async () => {
    const tricky = ['status', '--label', 'a b; rm -rf /', '$(whoami)'];
    const run = await runCilium(fake, tricky, { timeoutMs: 5_000, env: { FAKE_CILIUM_EXIT: '3' } });
    expect(JSON.parse(run.stdout).args).toEqual(tricky);
    expect(run.stderr).toBe('warning on stderr\n');
    expect(run.exitCode).toBe(3);
    expect(run.timedOut).toBe(false);
  });

  it('kills a process that outlives its timeout and says so', async () => {
    const run = await runCilium(fake, ['connectivity', 'test'], { timeoutMs: 200, env: { FAKE_CILIUM_MODE: 'hang' } });
    expect(run.timedOut).toBe(true);
    // Killed, not waited out: the hanging fake never exits by itself (the test's timeout bounds it).
    expect(run.exitCode === null || run.signal !== null).toBe(true);
  });

  it('caps captured output at maxOutputBytes and flags the truncation', async () => {
    const run = await runCilium(fake, [], { timeoutMs: 5_000, maxOutputBytes: 1_000, env: { FAKE_CILIUM_MODE: 'flood' } });
    expect(run.stdout.length).toBe(1_000);
    expect(run.stdoutTruncated).toBe(true);
  });

  it('raises CiliumNotRunnable for a binary that does not exist', async () => {
    await expect(runCilium(join(dir, 'no-such-cilium'), ['status'], { timeoutMs: 1_000 })).rejects.toBeInstanceOf(CiliumNotRunnable);
  });

  it('runs status with JSON output, a wait duration and the kubeconfig in the environment', async () => {
    const run = await ciliumStatusJson({ binaryPath: fake, kubeconfigPath: '/tmp/kc', context: 'prod-a' }, { waitSeconds: 60 });
    expect(JSON.parse(run.stdout)).toEqual({
      args: ['status', '-o', 'json', '--interactive=false', '--wait', '--wait-duration=60s', '--context', 'prod-a'],
      kubeconfig: '/tmp/kc',
    });
  });

  it('runs the connectivity test with an explicit timeout and returns the JUnit file it wrote', async () => {
    const junitFile = join(dir, 'junit.xml');
    const run = await ciliumConnectivityTest({ binaryPath: fake }, { junitFile, timeoutSeconds: 600, tests: ['pod-to-pod', '!l7'] });
    expect(JSON.parse(run.stdout).args).toEqual(['connectivity', 'test', '--junit-file', junitFile, '--timeout', '600s', '--test', 'pod-to-pod', '--test', '!l7']);
    expect(run.junit).toContain('<testsuites tests="1"');
  });
});
