import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ChangeStatus } from '../../../shared/store/index.js';
import { executionStarted, root, serviceNowTicket, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// The real `changeflow submit` binary against the local API server, dynalite and the local Step
// Functions engine, with a data dir holding endpoints.json as `changeflow dev` writes it.

const run = promisify(execFile);
let stack: ApiStack;
let dir: string;

beforeAll(async () => {
  stack = await startApiStack();
  dir = mkdtempSync(join(tmpdir(), 'changeflow-submit-'));
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ api: stack.url, webhookSecret }));
  writeFileSync(join(dir, 'approved.json'), JSON.stringify(serviceNowTicket({ sys_mod_count: '31' }), null, 2));
  writeFileSync(join(dir, 'unapproved.json'), JSON.stringify(serviceNowTicket({ sys_mod_count: '32', approval: 'requested' })));
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function submit(args: string[], dataDir = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin/changeflow.mjs'), 'submit', ...args, '--data-dir', dataDir], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** What the workflow would record for `changeId`, written while the CLI is waiting. */
async function playWorkflow(changeId: string, path: ChangeStatus[]): Promise<void> {
  await stack.store.changes.create({
    changeId,
    ticket: { system: 'none', key: '' },
    source: 'cli',
    targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
    requestedBy: 'tester',
    mode: 'apply',
  });
  await stack.store.audit.appendEvent({ changeId, type: 'change.received', status: 'RECEIVED', actor: 'changeflow-workflow', detail: {} });
  // No pause between steps: the CLI follows the audit trail, so it prints every event however fast
  // they come.
  for (const status of path) {
    await stack.store.changes.updateStatus(changeId, status, status === 'REJECTED' ? { outcome: { reason: 'precheck aci.l3out.exists failed' } } : {});
    await stack.store.audit.appendEvent({ changeId, type: `step.${status.toLowerCase().replace('_', '-')}`, status, actor: 'changeflow-workflow', detail: {} });
  }
}

describe.concurrent('changeflow submit (spawned)', () => {
  it('signs and posts an approved ServiceNow ticket: exit 0, "started" and the change id', async ({ expect }) => {
    const { code, stdout } = await submit([join(dir, 'approved.json')]);
    expect(stdout).toMatch(/^started snow-CHG0030012-31\n {2}execution arn:aws:states:.*:execution:changeflow-change:snow-CHG0030012-31\n$/);
    expect(code).toBe(0);
  });

  it('records the operator as requestedBy of a manual start (--by, else the login name), never "cli"', async ({ expect }) => {
    const inputOf = async (key: string) => {
      const arn = `${stack.machineArn.replace(':stateMachine:', ':execution:')}:cli-${key}`;
      const described = await stack.sfnClient.send(new DescribeExecutionCommand({ executionArn: arn }));
      return JSON.parse(described.input ?? '{}') as { requestedBy?: string; source?: string };
    };
    expect((await submit(['examples/add-pool-blue.yaml', '--idempotency-key', 'by-jane', '--by', 'jane.doe'])).code).toBe(0);
    expect(await inputOf('by-jane')).toMatchObject({ requestedBy: 'jane.doe' });
    expect((await submit(['examples/add-pool-blue.yaml', '--idempotency-key', 'by-login'])).code).toBe(0);
    expect(await inputOf('by-login')).toMatchObject({ requestedBy: userInfo().username });
  });

  it('exits 3 on an invalid ChangeSpec without posting it, naming the field', async ({ expect }) => {
    const { code, stdout } = await submit(['test/fixtures/specs/invalid/block-host-bits.yaml']);
    expect(code).toBe(3);
    expect(stdout).toMatch(/^invalid: test\/fixtures\/specs\/invalid\/block-host-bits.yaml\n {2}changes\[\d\]\.blocks\[\d\]: /);
  });

  it('exits 2 with the reason when the ticket is not approved (nothing was started)', async ({ expect }) => {
    const { code, stdout } = await submit([join(dir, 'unapproved.json')]);
    expect(code).toBe(2);
    expect(stdout).toBe('ignored: CHG0030012 has approval "requested", not "approved"\n');
  });

  it('exits 3 when the API refuses the signature (wrong secret)', async ({ expect }) => {
    const other = mkdtempSync(join(tmpdir(), 'changeflow-submit-other-'));
    writeFileSync(join(other, 'endpoints.json'), JSON.stringify({ api: stack.url, webhookSecret: 'not-the-secret-0123456789' }));
    const { code, stdout } = await submit([join(dir, 'approved.json')], other);
    rmSync(other, { recursive: true, force: true });
    expect(code).toBe(3);
    expect(stdout).toMatch(/^refused 401 SignatureMismatch: /);
  });

  it('with --wait follows a manual change event by event and exits 0 with the audit link when it succeeds', async ({ expect }) => {
    const waiting = submit(['examples/add-pool-blue.yaml', '--wait', '--idempotency-key', 'wait-ok', '--timeout', '25']);
    await executionStarted(stack, 'cli-wait-ok');
    await playWorkflow('cli-wait-ok', ['PRECHECKING', 'PLANNED', 'APPLYING', 'VERIFYING', 'SUCCEEDED']);
    const { code, stdout } = await waiting;
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('started cli-wait-ok');
    expect(lines.filter((l) => /^\[\s*\d+\.\ds\] /.test(l)).map((l) => l.split(/\s+/).slice(-3).join(' '))).toEqual([
      'change.received RECEIVED changeflow-workflow',
      'step.prechecking PRECHECKING changeflow-workflow',
      'step.planned PLANNED changeflow-workflow',
      'step.applying APPLYING changeflow-workflow',
      'step.verifying VERIFYING changeflow-workflow',
      'step.succeeded SUCCEEDED changeflow-workflow',
    ]);
    expect(lines.at(-2)).toMatch(/^SUCCEEDED after \d+\.\d s$/);
    expect(lines.at(-1)).toBe(`audit: ${stack.url}/changes/cli-wait-ok`);
    expect(code).toBe(0);
  });

  it('status shows one screen of a change and watch follows it; both exit 4 for an unknown change', async ({ expect }) => {
    const cli = async (args: string[]) =>
      run(process.execPath, [join(root, 'bin/changeflow.mjs'), ...args, '--data-dir', dir], { cwd: root }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
      );
    const waiting = submit(['examples/add-pool-blue.yaml', '--wait', '--idempotency-key', 'status-ok', '--timeout', '25']);
    await executionStarted(stack, 'cli-status-ok');
    await playWorkflow('cli-status-ok', ['PRECHECKING', 'PLANNED', 'APPLYING', 'VERIFYING', 'SUCCEEDED']);
    await waiting;
    const status = await cli(['status', 'cli-status-ok']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^change {3}cli-status-ok\nstatus {3}SUCCEEDED \(final\)/);
    expect(status.stdout).toMatch(/^step {5}step\.succeeded at /m);
    expect(status.stdout).toMatch(/^who {6}tester via cli; ticket none$/m);
    expect(status.stdout).toMatch(/^when {5}created \d{4}-\d\d-\d\dT\S+ \(\S+ ago\) · updated \S+ · took \S+$/m);
    expect(status.stdout).toMatch(/^next {5}nothing: the change is final/m);
    const watched = await cli(['watch', 'cli-status-ok']);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/SUCCEEDED after \d+\.\d s\n/);
    expect((await cli(['status', 'no-such-change'])).code).toBe(4);
    expect((await cli(['watch', 'no-such-change'])).code).toBe(4);
  });

  it('with --wait exits 2 when the change is rejected, and --json prints the final change', async ({ expect }) => {
    const waiting = submit(['examples/add-pool-blue.yaml', '--wait', '--json', '--idempotency-key', 'wait-rejected', '--timeout', '25']);
    await executionStarted(stack, 'cli-wait-rejected');
    await playWorkflow('cli-wait-rejected', ['PRECHECKING', 'REJECTED']);
    const { code, stdout } = await waiting;
    expect(JSON.parse(stdout)).toMatchObject({ changeId: 'cli-wait-rejected', status: 'REJECTED', outcome: { reason: 'precheck aci.l3out.exists failed' } });
    expect(code).toBe(2);
  });
});
