import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from '../../shared/zod.js';
import { labDumps, type LabDumps } from '../support/e2e-lab.js';
import { e2eSpec, startE2eStack, waitForChange, type E2eStack } from '../support/e2e-stack.js';

// Issue 13 §3: a manual start (POST /changes) cannot claim a ticket. Over the wire on the whole
// local stack: the caller, not the body, is who requests the change; a ServiceNow or Jira source
// in the body is not believed; a ticket the start names is read from the lab ServiceNow/Jira —
// missing, unapproved or outside its window ends REJECTED with the lab APIC and cluster untouched;
// an approved ticket inside its window runs.

let e2e: E2eStack;
let before: LabDumps;
const spec = parse(e2eSpec('egress-gateway')) as Record<string, unknown>;
const Started = z.object({ changeId: z.string(), executionArn: z.string(), status: z.literal('started') });

beforeAll(async () => {
  e2e = await startE2eStack('manual-start');
  before = await labDumps(e2e);
});

afterAll(async () => {
  await e2e?.close();
});

const snowTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const hours = (n: number) => new Date(Date.now() + n * 3600_000);

/** A change_request created in the lab ServiceNow through its Table API. */
async function serviceNowTicket(fields: { approval: string; state: string; start: Date; end: Date }): Promise<{ key: string; number: string }> {
  const sn = e2e.stack.lab.servicenow;
  const res = await fetch(`${sn.url}/api/now/table/change_request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Basic ${Buffer.from(`${sn.username}:${sn.password}`).toString('base64')}` },
    body: JSON.stringify({ short_description: 'claimed by a manual start', type: 'normal', approval: fields.approval, state: fields.state, start_date: snowTime(fields.start), end_date: snowTime(fields.end) }),
  });
  expect(res.status).toBe(201);
  const { result } = z.object({ result: z.object({ sys_id: z.string(), number: z.string() }) }).parse(await res.json());
  return { key: result.sys_id, number: result.number };
}

async function manualStart(body: Record<string, unknown>, caller: string, key: string): Promise<z.infer<typeof Started>> {
  const res = await fetch(`${e2e.api}/changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-changeflow-caller': caller, 'idempotency-key': key },
    body: JSON.stringify({ requestedBy: 'mallory', spec, ...body }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return Started.parse(JSON.parse(text));
}

async function executionInput(executionArn: string): Promise<unknown> {
  const sfn = new SFNClient({ endpoint: e2e.stack.sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    return JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn }))).input ?? 'null');
  } finally {
    sfn.destroy();
  }
}

describe('manual start cannot claim a ticket', () => {
  it('records the caller as requestedBy and a manual source, whatever the body claims', { timeout: 120_000 }, async () => {
    const started = await manualStart({ source: 'servicenow', ticket: { system: 'servicenow', key: 'f00dfeedf00dfeedf00dfeedf00dfeed', number: 'CHG9999999' } }, 'alice', 'claim-missing');
    expect(await executionInput(started.executionArn)).toMatchObject({ source: 'api', requestedBy: 'alice', ticket: { system: 'servicenow', number: 'CHG9999999' } });
    const { change, events } = await waitForChange(e2e, started);
    expect(change).toMatchObject({ status: 'REJECTED', source: 'api', requestedBy: 'alice' });
    expect(change.outcome?.reason).toMatch(/ServiceNow has no change_request CHG9999999/);
    expect(events.find((e) => e.type === 'recheck.failed')?.detail).toMatchObject({ rule: 'approval' });
    expect(events.some((e) => e.type.startsWith('apply.'))).toBe(false);
    expect(await labDumps(e2e)).toEqual(before);
  });

  it('rejects a ticket that exists but is not approved, and one approved but outside its window', { timeout: 180_000 }, async () => {
    const unapproved = await serviceNowTicket({ approval: 'requested', state: '-1', start: hours(-1), end: hours(4) });
    const a = await waitForChange(e2e, await manualStart({ source: 'cli', ticket: { system: 'servicenow', ...unapproved } }, 'alice', 'claim-unapproved'));
    expect(a.change.status).toBe('REJECTED');
    expect(a.change.outcome?.reason).toMatch(new RegExp(`${unapproved.number} is not approved: ${unapproved.number} now has approval "requested"`));
    // Nothing was written to the ticket it claimed: no note, no close — each one skipped, saying why.
    expect(a.events.filter((e) => e.type === 'ticket.note.written' || e.type === 'ticket.closed')).toEqual([]);
    expect(a.events.filter((e) => e.type === 'ticket.note.skipped').map((e) => e.detail)).toEqual(
      expect.arrayContaining(['accepted', 'precheck', 'plan'].map((phase) => expect.objectContaining({ phase }))),
    );
    expect(a.events.find((e) => e.type === 'ticket.close.skipped')?.detail).toMatchObject({ reason: expect.stringMatching(/only after the ticketing system confirmed it/) });

    const later = await serviceNowTicket({ approval: 'approved', state: '-2', start: hours(20), end: hours(24) });
    // The body's own window is a claim too: the ticket's window is what counts.
    const b = await waitForChange(
      e2e,
      await manualStart({ source: 'api', ticket: { system: 'servicenow', ...later }, window: { start: hours(-1).toISOString(), end: hours(4).toISOString() } }, 'alice', 'claim-window'),
    );
    expect(b.change.status).toBe('REJECTED');
    expect(b.change.outcome?.reason).toMatch(new RegExp(`outside ${later.number}'s window .* \\(as the ticketing system holds it\\)`));
    expect(await labDumps(e2e)).toEqual(before);
  });

  it('rejects a Jira issue that does not exist', { timeout: 120_000 }, async () => {
    const { change } = await waitForChange(e2e, await manualStart({ source: 'jira', ticket: { system: 'jira', key: 'NETCHG-4040' } }, 'bob', 'claim-jira'));
    expect(change).toMatchObject({ status: 'REJECTED', source: 'api', requestedBy: 'bob' });
    expect(change.outcome?.reason).toMatch(/Jira has no issue NETCHG-4040/);
    expect(await labDumps(e2e)).toEqual(before);
  });

  it('runs a manual start whose ticket is approved and inside its window', { timeout: 150_000 }, async () => {
    const ticket = await serviceNowTicket({ approval: 'approved', state: '-1', start: hours(-1), end: hours(4) });
    const { change, events } = await waitForChange(e2e, await manualStart({ source: 'console', ticket: { system: 'servicenow', ...ticket } }, 'carol', 'claim-ok'), 120_000);
    expect(change).toMatchObject({ status: 'SUCCEEDED', source: 'console', requestedBy: 'carol', ticket: { system: 'servicenow', ...ticket } });
    // Write-back starts once the re-check has confirmed the ticket, and the ticket is closed.
    const types = events.map((e) => e.type);
    const confirmed = types.indexOf('recheck.passed');
    expect(confirmed).toBeGreaterThan(0);
    expect(types.slice(0, confirmed)).not.toContain('ticket.note.written');
    expect(types.slice(confirmed)).toContain('ticket.note.written');
    expect(types).toContain('ticket.closed');
    expect(await labDumps(e2e)).not.toEqual(before);
  });
});
