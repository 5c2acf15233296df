import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDelivery } from '../../../shared/intake/signature.js';
import { reach, startChange, startControlStack, type ControlStack } from './control-stack.js';

// The ticket steers its running change (docs/architecture.md §3.7): a ServiceNow work note or a
// Jira comment `/approve <planHash>` by someone in the approver group approves the waiting plan;
// an approver moving the ticket to the configured implement state approves it too; a ticket
// cancelled while its change runs aborts it. Signed deliveries to the control webhooks.

const secret = 'test-webhook-secret-0123456789';
const pool = readFileSync('examples/add-pool-blue.yaml', 'utf8').replace('mode: plan-only', 'mode: apply');
const needsApproval = `${pool}approval: required\n`;

let stack: ControlStack;
let n = 0;
beforeAll(async () => {
  stack = await startControlStack({
    changeControl: { approval: { approvers: ['jane.cab', 'jane@example.com'], implementState: { servicenow: '-1', jira: 'Implementing' } } },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function deliver(system: 'servicenow' | 'jira', body: unknown) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${stack.api.url}/webhooks/${system}/control`, { method: 'POST', headers: { 'content-type': 'application/json', ...signDelivery(secret, raw, new Date()) }, body: raw });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function serviceNowTicket() {
  n += 1;
  return { system: 'servicenow', key: `sysid${Date.now()}${n}`, number: `CHG99${Date.now() % 100000}${n}` };
}

describe('ticket updates', () => {
  it('approve the waiting plan from a ServiceNow work note by an approver, not by anyone else', async () => {
    const ticket = serviceNowTicket();
    const run = await startChange(stack, needsApproval, {}, ticket);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    const planHash = (await stack.h.store.changes.require(run.changeId)).planHash!;
    const record = { sys_id: ticket.key, number: ticket.number, state: '-1' };
    const stranger = await deliver('servicenow', { ...record, work_notes: `/approve ${planHash.slice(0, 12)}`, sys_updated_by: 'bob' });
    expect(stranger.body).toMatchObject({ status: 'ignored', reason: expect.stringContaining('not in the approver group') });
    const wrong = await deliver('servicenow', { ...record, work_notes: '/approve 0123456789ab', sys_updated_by: 'jane.cab' });
    expect(wrong.body).toMatchObject({ status: 'ignored' });
    expect((await stack.h.store.changes.require(run.changeId)).status).toBe('AWAITING_APPROVAL');
    const ok = await deliver('servicenow', { ...record, work_notes: `CAB approved\n/approve ${planHash.slice(0, 12)}`, sys_updated_by: 'jane.cab' });
    expect(ok).toMatchObject({ status: 202, body: { status: 'approved', planHash, by: 'jane.cab' } });
    await run.end();
    expect((await stack.h.store.changes.require(run.changeId)).status).toBe('SUCCEEDED');
    const granted = (await stack.h.store.getChangeWithEvents(run.changeId)).events.find((e) => e.type === 'approval.granted');
    expect(granted).toMatchObject({ actor: 'jane.cab', detail: { via: 'servicenow', planHash } });
  });

  it('abort the running change when its ServiceNow ticket is cancelled', async () => {
    const ticket = serviceNowTicket();
    const run = await startChange(stack, needsApproval, {}, ticket);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    const cancelled = await deliver('servicenow', { sys_id: ticket.key, number: ticket.number, state: '4', sys_updated_by: 'jane.cab' });
    expect(cancelled).toMatchObject({ status: 202, body: { status: 'aborting', effect: 'abort before apply' } });
    await run.end();
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.status).toBe('ABORTED');
    expect(change.outcome?.reason).toBe(`aborted by jane.cab: ticket ${ticket.number} was cancelled in ServiceNow`);
    expect(await stack.h.store.locks.get('fabric#dc1-aci')).toBeUndefined();
  });

  it('approve from a Jira comment in ADF, and refuse an unsigned delivery', async () => {
    const ticket = { system: 'jira', key: `OPS-${Date.now() % 100000}` };
    const run = await startChange(stack, needsApproval, {}, ticket);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    const planHash = (await stack.h.store.changes.require(run.changeId)).planHash!;
    const comment = { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: `/approve ${planHash}` }] }] }, author: { emailAddress: 'jane@example.com' } };
    const unsigned = await fetch(`${stack.api.url}/webhooks/jira/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhookEvent: 'comment_created', issue: { key: ticket.key }, comment }) });
    expect(unsigned.status).toBe(401);
    const ok = await deliver('jira', { webhookEvent: 'comment_created', issue: { key: ticket.key }, comment });
    expect(ok.body).toMatchObject({ status: 'approved', by: 'jane@example.com' });
    await run.end();
    expect((await stack.h.store.changes.require(run.changeId)).status).toBe('SUCCEEDED');
  });

  it('approve the waiting plan when an approver moves the Jira issue to the implement status, not when a stranger does', async () => {
    const ticket = { system: 'jira', key: `OPS-${(Date.now() % 100000) + 1}` };
    const run = await startChange(stack, needsApproval, {}, ticket);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    const planHash = (await stack.h.store.changes.require(run.changeId)).planHash!;
    const moved = (email: string) => ({ webhookEvent: 'jira:issue_updated', issue: { key: ticket.key }, user: { emailAddress: email }, changelog: { items: [{ field: 'status', fromString: 'Scheduled', toString: 'Implementing' }] } });
    const stranger = await deliver('jira', moved('bob@example.com'));
    expect(stranger.body).toMatchObject({ status: 'ignored', reason: expect.stringContaining('not in the approver group') });
    expect((await stack.h.store.changes.require(run.changeId)).status).toBe('AWAITING_APPROVAL');
    const ok = await deliver('jira', moved('jane@example.com'));
    expect(ok).toMatchObject({ status: 202, body: { status: 'approved', planHash, by: 'jane@example.com', via: 'state' } });
    await run.end();
    expect((await stack.h.store.changes.require(run.changeId)).status).toBe('SUCCEEDED');
    const granted = (await stack.h.store.getChangeWithEvents(run.changeId)).events.find((e) => e.type === 'approval.granted');
    expect(granted).toMatchObject({ actor: 'jane@example.com', detail: { via: 'jira', planHash, comment: `ticket ${ticket.key} moved to the implement state Implementing` } });
  });
});
