import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ChangeStatus } from '../../../shared/store/index.js';
import { eventually } from '../../support/eventually.js';
import { executionStarted, poolBluePlanDetail, root, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// `submit --wait` and `audit show` through the real binary print the details the timeline page
// shows: the plan of both domains, each precheck that did not pass with the object it was about,
// its evidence and fix, a ticket write-back failure's reason, each verification check.

const run = promisify(execFile);
let stack: ApiStack;
let dir: string;
const bin = join(root, 'bin/changeflow.mjs');

beforeAll(async () => {
  stack = await startApiStack();
  dir = mkdtempSync(join(tmpdir(), 'changeflow-details-'));
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ api: stack.url, webhookSecret, dynamodb: stack.env['DYNAMODB_ENDPOINT'], sfn: stack.env['SFN_ENDPOINT'] }));
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
}

type Step = { type: string; status?: ChangeStatus; detail: unknown; outcome?: string };

async function play(changeId: string, steps: Step[], mode: 'apply' | 'plan-only' = 'apply'): Promise<void> {
  await executionStarted(stack, changeId);
  await stack.store.changes.create({
    changeId, ticket: { system: 'servicenow', key: 'abc', number: 'CHG0030077' }, source: 'cli', targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, requestedBy: 'jane.doe', mode,
  });
  await playOn(changeId, 'RECEIVED', steps);
}

/** More of what the workflow records for a change already at `status`. */
async function playOn(changeId: string, from: ChangeStatus, steps: Step[]): Promise<void> {
  let status = from;
  for (const step of steps) {
    if (step.status && step.status !== status) {
      await stack.store.changes.updateStatus(changeId, step.status, step.outcome ? { outcome: { reason: step.outcome } } : {});
      status = step.status;
    }
    await stack.store.audit.appendEvent({ changeId, type: step.type, status: step.status, actor: 'changeflow-workflow', detail: step.detail });
  }
}

const received: Step = { type: 'change.received', status: 'RECEIVED', detail: { changes: ['bgpPeering AS64512 on prod-a-l3out', 'loadBalancerPool pool-blue 10.0.11.0/25'], mode: 'apply' } };

describe.concurrent('the details of a change on the command line', () => {
  it('submit --wait prints a failed precheck with the object it was about, its evidence and its fix (exit 2)', async ({ expect }) => {
    const waiting = cli(['submit', 'examples/onboard-prod-a.yaml', '--yes', '--wait', '--idempotency-key', 'details-rejected', '--timeout', '25', '--data-dir', dir]);
    await play('cli-details-rejected', [
      received,
      {
        type: 'precheck.failed',
        status: 'PRECHECKING',
        detail: {
          summary: { passed: 1, failed: 1, unknown: 0, verdict: 'fail' },
          results: [
            { id: 'aci.l3out.exists', scope: 'aci', title: 'L3Out exists', verdict: 'pass', evidence: 'found' },
            { id: 'aci.bgp.anchor-router-id', scope: 'aci', title: 'router ids', verdict: 'fail', evidence: 'anchor 102 has router id 102.0.0.3 in L3Out l3ipv6', fix: 'use 102.0.0.3 or change the other L3Out first', change: 0 },
          ],
        },
      },
      { type: 'change.rejected', status: 'REJECTED', outcome: 'precheck aci.bgp.anchor-router-id failed', detail: { reason: 'precheck aci.bgp.anchor-router-id failed' } },
    ]);
    const { code, stdout } = await waiting;
    expect(stdout).toContain('    2 rules: 1 passed, 1 failed, 0 unknown\n');
    expect(stdout).toContain('    ✗ fail aci.bgp.anchor-router-id — about changes[0] bgpPeering AS64512 on prod-a-l3out\n        evidence: anchor 102 has router id 102.0.0.3 in L3Out l3ipv6\n        fix: use 102.0.0.3 or change the other L3Out first\n');
    expect(stdout).toMatch(/^REJECTED: precheck aci\.bgp\.anchor-router-id failed after \d+\.\d s$/m);
    expect(code).toBe(2);
  });

  it('submit --wait prints the plan of both domains, each check as recorded, a write-back failure and the rollback (exit 1); audit show has a detail column', async ({ expect }) => {
    const waiting = cli(['submit', 'examples/onboard-prod-a.yaml', '--yes', '--wait', '--idempotency-key', 'details-rolled', '--timeout', '25', '--data-dir', dir]);
    await play('cli-details-rolled', [
      received,
      { type: 'precheck.passed', status: 'PRECHECKING', detail: { summary: { passed: 1, failed: 0, unknown: 0, verdict: 'pass' }, results: [{ id: 'aci.l3out.exists', scope: 'aci', title: 'L3Out exists', verdict: 'pass', evidence: 'found' }] } },
      {
        type: 'plan.created',
        status: 'PLANNED',
        detail: {
          planHash: 'b'.repeat(64),
          totals: { create: 1, modify: 1, delete: 0, restart: 0 },
          ops: [],
          diff: [
            { sign: '~', ref: 'uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-anchors/lifp-svi/vlifp-[vlan-300]', attribute: 'mtu', from: '1500', to: '9000' },
            { sign: '+', ref: 'cilium.io/v2/CiliumBGPClusterConfig/prod-a' },
          ],
        },
      },
      { type: 'ticket.writeback.failed', detail: { what: 'note plan', system: 'servicenow', error: 'TicketWriteFailed', message: 'ServiceNow answered 503 Service Unavailable' } },
      { type: 'apply.aci.applied', status: 'APPLYING', detail: { ops: 1, ms: 120 } },
      { type: 'verify.bgp-fabric', status: 'VERIFYING', detail: { verdict: 'pass', evidence: '2 sessions established on the anchors (101, 102)', ms: 4200 } },
      { type: 'verify.connectivity-test', detail: { verdict: 'fail', evidence: '60 tests, 2 failed (no-policies, to-cidr-external), 0 skipped; exit 1', ms: 95000 } },
      { type: 'verify.failed', detail: { checks: ['connectivity-test'], reason: 'connectivity-test: fail' } },
      { type: 'rollback.started', status: 'ROLLING_BACK', detail: { error: 'VerificationFailed', cause: 'connectivity-test: fail' } },
      { type: 'rollback.verified', detail: { steps: 2 } },
      { type: 'change.rolled-back', status: 'ROLLED_BACK', outcome: 'connectivity-test: fail', detail: { reason: 'connectivity-test: fail' } },
    ]);
    const { code, stdout } = await waiting;
    expect(stdout).toContain(
      [
        '    APIC',
        '      ~ uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-anchors/lifp-svi/vlifp-[vlan-300]',
        '          ~ mtu: 1500 → 9000',
        '    Cluster',
        '      + cilium.io/v2/CiliumBGPClusterConfig/prod-a',
        '    Plan: 1 object to add, 1 to change, 0 to destroy — in 2 operations (1 create, 1 modify).  (bbbbbbbbbbbb)',
      ].join('\n'),
    );
    expect(stdout).toContain('    could not write the note plan to the servicenow ticket: TicketWriteFailed: ServiceNow answered 503 Service Unavailable\n');
    expect(stdout).toContain('    pass: 2 sessions established on the anchors (101, 102) (4.2 s)\n');
    expect(stdout).toContain('    fail: 60 tests, 2 failed (no-policies, to-cidr-external), 0 skipped; exit 1 (95.0 s)\n');
    expect(stdout).toContain('    VerificationFailed: connectivity-test: fail\n');
    expect(code).toBe(1);

    const shown = await cli(['audit', 'show', 'cli-details-rolled', '--dynamodb', stack.env.DYNAMODB_ENDPOINT!, '--table', stack.env.TABLE_NAME!]);
    expect(shown.code).toBe(0);
    const header = shown.stdout.split('\n').find((l) => l.startsWith('SEQ'));
    expect(header).toMatch(/ACTOR +DETAIL$/);
    expect(shown.stdout).toMatch(/verify\.connectivity-test .* fail: 60 tests, 2 failed \(no-policies, to-cidr-external\), 0 skipped; exit 1$/m);
    expect(shown.stdout).toMatch(/plan\.created .* 2 operations \(1 create, 1 modify\)$/m);
  });

  it('submit --wait of a plan-only change prints its plan for both domains and ends at PLANNED (exit 0)', async ({ expect }) => {
    const waiting = cli(['submit', 'examples/add-pool-blue.yaml', '--wait', '--idempotency-key', 'details-plan-only', '--timeout', '25', '--data-dir', dir]);
    await play('cli-details-plan-only', [
      { ...received, detail: { changes: ['loadBalancerPool pool-blue 10.0.11.0/25'], mode: 'plan-only' } },
      { type: 'precheck.passed', status: 'PRECHECKING', detail: { summary: { passed: 1, failed: 0, unknown: 0, verdict: 'pass' }, results: [] } },
      {
        type: 'plan.created',
        status: 'PLANNED',
        detail: poolBluePlanDetail('e'.repeat(64)),
      },
    ], 'plan-only');
    const { code, stdout } = await waiting;
    expect(stdout).toContain(
      [
        '    APIC',
        '      + uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.11.0/25]',
        '    Cluster',
        '      + cilium.io/v2/CiliumLoadBalancerIPPool/pool-blue',
        '          + spec.blocks: [{"cidr":"10.0.11.0/25"}]',
        '    Plan: 2 objects to add, 0 to change, 0 to destroy — in 2 operations (2 create).  (eeeeeeeeeeee)',
      ].join('\n'),
    );
    expect(stdout).toMatch(/^PLANNED after \d+\.\d s$/m);
    expect(code).toBe(0);
  });

  it('submit --wait prints the connectivity test\'s progress as the agent reports it, instead of silence (issue 19 item 1)', async ({ expect }) => {
    const child = spawn(process.execPath, [bin, 'submit', 'examples/onboard-prod-a.yaml', '--yes', '--wait', '--idempotency-key', 'details-progress', '--timeout', '40', '--data-dir', dir], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    /** Resolves once the CLI has printed `text`: each report is seen before the next is written. */
    const printed = async (text: string) => {
      await eventually(() => stdout.includes(text), () => `the CLI to print ${JSON.stringify(text)}; it printed:\n${stdout}`, { within: 20_000 });
    };
    const changeId = 'cli-details-progress';
    await play(changeId, [
      received,
      { type: 'precheck.passed', status: 'PRECHECKING', detail: { summary: { passed: 1, failed: 0, unknown: 0, verdict: 'pass' }, results: [] } },
      { type: 'plan.created', status: 'PLANNED', detail: { planHash: 'c'.repeat(64), totals: { create: 1, modify: 0, delete: 0, restart: 0 }, ops: [], diff: [] } },
      { type: 'apply.aci.applied', status: 'APPLYING', detail: { ops: 1, ms: 120 } },
      { type: 'verify.bgp-fabric', status: 'VERIFYING', detail: { verdict: 'pass', evidence: '2 sessions established', ms: 4200 } },
    ]);
    await printed('pass: 2 sessions established');
    // What the agent's progress reporter writes (agent/progress-reporter.ts), over the same table.
    const report = (done: number, running?: string) => stack.store.progress.putProgress({ changeId, step: 'verify', what: 'connectivity test', done, total: 12, running });
    await report(0, 'no-policies');
    await printed('  connectivity test: 0/12 tests done · running no-policies\n');
    await report(7, 'to-fqdns');
    await printed('  connectivity test: 7/12 tests done · running to-fqdns\n');
    // `status` shows it on its one screen too, while the change runs.
    const status = await cli(['status', changeId, '--data-dir', dir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('\nprogress connectivity test: 7/12 tests done · running to-fqdns\n');
    await stack.store.audit.appendEvent({ changeId, type: 'verify.connectivity-test', actor: 'changeflow-workflow', detail: { verdict: 'pass', evidence: '12 tests, 0 failed, 0 skipped; exit 0', ms: 61000 } });
    await stack.store.changes.updateStatus(changeId, 'SUCCEEDED');
    await stack.store.audit.appendEvent({ changeId, type: 'change.succeeded', status: 'SUCCEEDED', actor: 'changeflow-workflow', detail: {} });
    expect(await exited).toBe(0);
    // Each report once, in order, before the check's own line.
    expect(stdout.match(/connectivity test: \d+\/12/g)).toEqual(['connectivity test: 0/12', 'connectivity test: 7/12']);
    expect(stdout.indexOf('7/12 tests done')).toBeLessThan(stdout.indexOf('12 tests, 0 failed'));
  });

  it('Ctrl-C during submit --wait stops following, not the change, and says how to follow it again (exit 4; issue 19 item 2)', async ({ expect }) => {
    const child = spawn(process.execPath, [bin, 'submit', 'examples/onboard-prod-a.yaml', '--yes', '--wait', '--idempotency-key', 'details-interrupted', '--timeout', '40', '--data-dir', dir], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await play('cli-details-interrupted', [received]);
    await eventually(() => stdout.includes('change.received'), () => `submit --wait to print change.received; it printed:\n${stdout}`, { within: 20_000 });
    child.kill('SIGINT');
    expect(await exited).toBe(4);
    expect(stderr).toContain('stopped following; change cli-details-interrupted keeps running. Follow it again with `changeflow watch cli-details-interrupted`');
    // The change itself goes on: nothing was recorded against it.
    expect((await stack.store.changes.require('cli-details-interrupted')).status).toBe('RECEIVED');
  });

  it('exit 5 when the rollback failed, from submit --wait, from watch following it and from status, which prints the unlock commands as unlock takes them (issue 19 items 2, 3, 7)', async ({ expect }) => {
    const changeId = 'cli-details-rollback-failed';
    const waiting = cli(['submit', 'examples/onboard-prod-a.yaml', '--yes', '--wait', '--idempotency-key', 'details-rollback-failed', '--timeout', '40', '--data-dir', dir]);
    await play(changeId, [
      received,
      { type: 'lock.acquired', status: 'PRECHECKING', detail: { targets: ['fabric#dc1-aci', 'cluster#prod-a'] } },
      { type: 'plan.created', status: 'PLANNED', detail: { planHash: 'd'.repeat(64), totals: { create: 1, modify: 0, delete: 0, restart: 0 }, ops: [], diff: [] } },
      { type: 'apply.aci.applied', status: 'APPLYING', detail: { ops: 1, ms: 120 } },
    ]);
    await stack.store.locks.acquire(['fabric:dc1-aci', 'cluster:prod-a'], changeId, 600_000);
    // `watch` from another terminal, started while the change runs.
    const watcher = spawn(process.execPath, [bin, 'watch', changeId, '--data-dir', dir], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let watched = '';
    watcher.stdout.on('data', (b: Buffer) => (watched += b.toString()));
    const watchExit = new Promise<number>((resolve) => watcher.on('close', (code) => resolve(code ?? -1)));
    await eventually(() => watched.includes('apply.aci.applied'), () => `watch to print apply.aci.applied; it printed:\n${watched}`, { within: 20_000 });
    expect(watched).not.toContain('ROLLBACK_FAILED');
    await playOn(changeId, 'APPLYING', [
      { type: 'verify.failed', status: 'VERIFYING', detail: { checks: ['bgp-fabric'], reason: 'bgp-fabric: fail' } },
      { type: 'rollback.started', status: 'ROLLING_BACK', detail: { error: 'VerificationFailed', cause: 'bgp-fabric: fail' } },
      { type: 'rollback.failed', status: 'ROLLBACK_FAILED', outcome: 'APIC refused the inverse POST', detail: { error: 'ApicRequestFailed', message: 'APIC refused the inverse POST' } },
    ]);
    const submitted = await waiting;
    expect(submitted.stdout).toMatch(/^ROLLBACK_FAILED: APIC refused the inverse POST after \d+\.\d s$/m);
    expect(submitted.code).toBe(5);
    expect(await watchExit).toBe(5);
    expect(watched).toMatch(/rollback\.failed +ROLLBACK_FAILED/);

    const status = await cli(['status', changeId, '--data-dir', dir]);
    expect(status.code).toBe(5);
    const unlocks = [...status.stdout.matchAll(/changeflow unlock (\S+) --reason/g)].map((m) => m[1]);
    expect(unlocks).toEqual(['fabric:dc1-aci', 'cluster:prod-a']);
    // Spelled as `unlock --help` names its argument, and accepted by it as printed.
    expect((await cli(['unlock', '--help'])).stdout).toMatch(/^ {2}target +fabric:NAME or cluster:NAME$/m);
    for (const target of unlocks) {
      const unlocked = await cli(['unlock', target ?? '', '--reason', 'restored from the snapshot by hand', '--by', 'tester', '--data-dir', dir, '--table', stack.env['TABLE_NAME'] ?? '']);
      expect(unlocked.stdout).toContain(`unlocked ${target?.replace(':', '#')} (was held after ROLLBACK_FAILED by change ${changeId})`);
      expect(unlocked.code).toBe(0);
    }
  });

  it('exit 4 when --wait gives up before the change ends, saying where it was and where to follow it (issue 19 item 3)', async ({ expect }) => {
    const waiting = cli(['submit', 'examples/onboard-prod-a.yaml', '--yes', '--wait', '--idempotency-key', 'details-gave-up', '--timeout', '3', '--data-dir', dir]);
    await play('cli-details-gave-up', [received]);
    const { code, stderr } = await waiting;
    expect(stderr).toMatch(new RegExp(`gave up after 3 s waiting for cli-details-gave-up: .*; follow it at ${stack.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/changes/cli-details-gave-up`));
    expect(code).toBe(4);
    expect((await stack.store.changes.require('cli-details-gave-up')).status).toBe('RECEIVED');
  });

  it('exit 1 when the change FAILED (status and watch of it), the reason on the status line (issue 19 item 3)', async ({ expect }) => {
    const waiting = cli(['submit', 'examples/onboard-prod-a.yaml', '--yes', '--wait', '--idempotency-key', 'details-failed', '--timeout', '25', '--data-dir', dir]);
    await play('cli-details-failed', [
      received,
      { type: 'change.failed', status: 'FAILED', outcome: 'InvalidInput: changes[0].anchors: required', detail: { error: 'InvalidInput', message: 'changes[0].anchors: required' } },
    ]);
    expect((await waiting).code).toBe(1);
    const status = await cli(['status', 'cli-details-failed', '--data-dir', dir]);
    expect(status.stdout).toMatch(/^status {3}FAILED \(final\) — InvalidInput: changes\[0\]\.anchors: required$/m);
    expect(status.code).toBe(1);
    expect((await cli(['watch', 'cli-details-failed', '--data-dir', dir])).code).toBe(1);
  });
});
