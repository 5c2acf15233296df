import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, root, serviceNowTicket, signedHeaders, startApiStack, type ApiStack } from './harness.js';

// Issue 19 item 14: `changeflow deliveries` reads the webhook delivery log intake writes
// (shared/store/deliveries.ts) — real signed deliveries over the local API, then the real binary.

let stack: ApiStack;

function changeflow(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const table = ['--dynamodb', stack.env['DYNAMODB_ENDPOINT'] ?? '', '--table', stack.env['TABLE_NAME'] ?? ''];
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/changeflow.mjs', ...args, ...table], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  stack = await startApiStack();
  const started = JSON.stringify(serviceNowTicket({ sys_mod_count: '3' }));
  expect((await post(stack.url, '/webhooks/servicenow', started, signedHeaders(started))).status).toBe(202);
  // What the workflow's first step records for the change; the stack here only holds executions.
  await stack.store.changes.create({
    changeId: 'snow-CHG0030012-3',
    ticket: { system: 'servicenow', key: '9d3c1e2f1b7a4c10a8d2e0f4c6b8a901', number: 'CHG0030012', revision: '3' },
    source: 'servicenow',
    targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
    requestedBy: 'alice',
    mode: 'apply',
  });
  // The next revision while that change runs: a duplicate of it.
  const again = JSON.stringify(serviceNowTicket({ sys_mod_count: '4' }));
  expect((await post(stack.url, '/webhooks/servicenow', again, signedHeaders(again))).body).toEqual({ status: 'duplicate', changeId: 'snow-CHG0030012-3' });
  // Signed, approved, but its ChangeSpec is not one: refused and recorded.
  const broken = JSON.stringify(serviceNowTicket({ sys_id: 'a'.repeat(32), number: 'CHG0030099', sys_mod_count: '1', u_change_spec: 'kind: nope' }));
  expect((await post(stack.url, '/webhooks/servicenow', broken, signedHeaders(broken))).status).toBe(400);
});
afterAll(async () => {
  await stack?.close();
});

describe('changeflow deliveries', () => {
  it('lists today\'s deliveries oldest first: when, source, outcome, ticket, change and why, with the totals', async () => {
    const { code, stdout } = await changeflow(['deliveries']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AT\s+SOURCE\s+OUTCOME\s+TICKET\s+CHANGE\s+REASON$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+servicenow\s+started\s+servicenow CHG0030012\s+snow-CHG0030012-3$/);
    expect(lines[2]).toMatch(/^\S+ \S+\s+servicenow\s+duplicate\s+servicenow CHG0030012\s+snow-CHG0030012-3\s+ticket already has change snow-CHG0030012-3 in progress$/);
    // No change was made for the refused one: its ticket is the id inside the signed delivery key.
    expect(lines[3]).toMatch(new RegExp(`servicenow\\s+refused\\s+servicenow ${'a'.repeat(32)}\\s+-\\s+InvalidChangeSpec: the ChangeSpec in u_change_spec is invalid`));
    expect(stdout).toContain(`3 deliveries on ${new Date().toISOString().slice(0, 10)}: 1 started, 1 duplicate, 0 ignored, 1 refused`);
    expect(stdout).toContain('Not listed: retries of a delivery already started');
  });

  it('prints what the runbook\'s example shows for one ticket (docs/runbook.md §6, times aside)', async () => {
    const { code, stdout } = await changeflow(['deliveries', '--ticket', 'CHG0030012']);
    expect(code).toBe(0);
    const runbook = readFileSync(join(root, 'docs/runbook.md'), 'utf8');
    const example = /```\n\$ changeflow deliveries --ticket CHG0030012\n([\s\S]*?)```\n/.exec(runbook)?.[1];
    // Days and times differ from run to run; the columns, rows, totals and notes do not.
    const times = (text: string) => text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'YYYY-MM-DD hh:mm:ss').replace(/\d{4}-\d\d-\d\d/g, 'YYYY-MM-DD');
    expect(example).toBeDefined();
    expect(times(stdout)).toBe(times(example ?? ''));
  });

  it('filters by outcome and ticket, and prints JSON with the ticket and the change status', async () => {
    const refused = await changeflow(['deliveries', '--outcome', 'refused']);
    expect(refused.stdout).not.toContain('snow-CHG0030012-3');
    expect(refused.stdout).toContain('1 deliveries on');
    const ticket = await changeflow(['deliveries', '--ticket', 'chg0030012', '--json']);
    expect(ticket.code).toBe(0);
    const parsed = JSON.parse(ticket.stdout) as { days: string[]; deliveries: Array<Record<string, unknown>> };
    expect(parsed.deliveries.map((d) => [d['outcome'], d['ticket'], d['changeId'], d['changeStatus']])).toEqual([
      ['started', 'servicenow CHG0030012', 'snow-CHG0030012-3', 'RECEIVED'],
      ['duplicate', 'servicenow CHG0030012', 'snow-CHG0030012-3', 'RECEIVED'],
    ]);
    expect(parsed.deliveries[0]).toMatchObject({ key: 'servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:3', source: 'servicenow' });
  });

  it('reads another day, says when nothing was recorded, and refuses days it cannot read (exit 3)', async () => {
    const empty = await changeflow(['deliveries', '--day', '2026-01-02']);
    expect(empty).toMatchObject({ code: 0, stdout: 'no deliveries recorded on 2026-01-02\n' });
    for (const [args, message] of [
      [['--day', '2026-02-30'], '--day expects a UTC day as YYYY-MM-DD, found "2026-02-30"'],
      [['--since', '2020-01-01'], 'at most 31'],
      [['--outcome', 'accepted'], '--outcome must be one of started, duplicate, ignored, refused'],
      [['--day', '2026-01-02', '--since', '2026-01-01'], 'expected --day or --since, not both'],
    ] as const) {
      const bad = await changeflow(['deliveries', ...args]);
      expect(bad.code, args.join(' ')).toBe(3);
      expect(bad.stderr).toContain(message);
    }
  });
});
