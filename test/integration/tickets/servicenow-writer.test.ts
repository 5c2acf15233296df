import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServiceNowLab, type ServiceNowLab } from '../../../local/lab/servicenow/server.js';
import { ServiceNowTicketWriter } from '../../../shared/tickets/servicenow.js';
import { renderPhaseNote, type PhaseReportInput } from '../../../shared/tickets/phase-notes.js';
import { TicketWriteFailed } from '../../../shared/tickets/errors.js';
import type { TicketRef } from '../../../shared/spec/change-request.js';

let lab: ServiceNowLab;
let writer: ServiceNowTicketWriter;

beforeAll(async () => {
  lab = await startServiceNowLab();
  writer = new ServiceNowTicketWriter({ url: lab.url, username: lab.username, password: lab.password, http: { fetch, retry: { maxAttempts: 3, baseDelayMs: 5 } } });
});
afterAll(async () => {
  await lab.close();
});
beforeEach(() => {
  lab.faults.clear();
  lab.stats.reset();
});

function ticketIn(state: string): TicketRef {
  const row = lab.records.create({ state, approval: 'approved', short_description: 'writer test' });
  return { system: 'servicenow', key: row.sys_id!, number: row.number!, revision: row.sys_mod_count! };
}

const changeId = 'chg-writer-1';
const reports: PhaseReportInput[] = [
  { phase: 'accepted', changeId, mode: 'apply', target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' } },
  { phase: 'precheck', changeId, results: [{ id: 'aci.version.floating-svi', scope: 'aci', title: 'Floating SVI', verdict: 'pass', evidence: '6.1(2f)' }] },
  { phase: 'plan', changeId, planHash: 'abcdef0123456789', totals: { create: 1, modify: 0, delete: 0, restart: 0 }, diff: [{ sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-red' }] },
  { phase: 'applied', changeId, aciOps: 1, clusterOps: 2 },
  { phase: 'verified', changeId, checks: [{ name: 'connectivity test', verdict: 'fail', detail: '3 of 48 failed' }] },
  { phase: 'rolledBack', changeId, reason: 'connectivity test failed', failedStep: 'verify', verified: true },
  { phase: 'failed', changeId, reason: 'rolled back after verify' },
];

describe('ServiceNow write-back against the lab', () => {
  it('writes a work note for every phase, in order', async () => {
    const ticket = ticketIn('-1');
    for (const report of reports) {
      const { phase, text } = renderPhaseNote(report);
      await writer.note(ticket, phase, text);
    }
    const notes = lab.records.journalFor(ticket.key, 'work_notes').map((j) => j.value.split('\n')[0]);
    expect(notes).toEqual([
      '[changeflow] Change accepted.',
      '[changeflow] Precheck passed (1 rules: 1 passed, 0 failed, 0 unknown).',
      '[changeflow] Plan abcdef012345 ready.',
      '[changeflow] Applied: 1 APIC operation, 2 cluster operations. Verifying next.',
      '[changeflow] Verification FAILED: 1 of 1 checks did not pass.',
      '[changeflow] Rolled back after verify failed: connectivity test failed',
      '[changeflow] Change FAILED: rolled back after verify',
    ]);
    expect(lab.records.get(ticket.key!)).toMatchObject({ sys_mod_count: '7', work_notes: '' });
  });

  it.each([
    ['-1', ['0', '3']],
    ['-2', ['-1', '0', '3']],
    ['0', ['3']],
  ])('closes from state %s by walking %j, with close_code and close_notes on the last step', async (from, walk) => {
    const ticket = ticketIn(from);
    await writer.close(ticket, 'successful', 'Applied and verified by changeflow.');
    expect(lab.records.get(ticket.key!)).toMatchObject({ state: '3', close_code: 'successful', close_notes: 'Applied and verified by changeflow.', active: 'false' });
    expect(lab.stats.toJSON().requests.byMethod).toEqual({ GET: 1, PATCH: walk.length });
  });

  it('closes as unsuccessful', async () => {
    const ticket = ticketIn('-1');
    await writer.close(ticket, 'unsuccessful', 'Rolled back: connectivity test failed.');
    expect(lab.records.get(ticket.key!)).toMatchObject({ state: '3', close_code: 'unsuccessful' });
  });

  it('does nothing when the ticket is already closed, so a repeated close is harmless', async () => {
    const ticket = ticketIn('-1');
    await writer.close(ticket, 'successful', 'first');
    await writer.close(ticket, 'successful', 'second');
    expect(lab.records.get(ticket.key!)).toMatchObject({ state: '3', close_notes: 'first' });
  });

  it('refuses to close a ticket still in New, naming the state', async () => {
    const ticket = ticketIn('-5');
    await expect(writer.close(ticket, 'successful', 'x')).rejects.toThrow(/cannot start from state -5/);
    expect(lab.records.get(ticket.key!)).toMatchObject({ state: '-5' });
  });

  it('retries a transient 500 and then writes the note once', async () => {
    const ticket = ticketIn('-1');
    lab.faults.add('servicenow.patch=http500@1');
    await writer.note(ticket, 'accepted', 'after one retry');
    expect(lab.records.journalFor(ticket.key).map((j) => j.value)).toEqual(['after one retry']);
    expect(lab.stats.byMethod.PATCH).toBe(2);
  });

  it('under servicenow.any=http500 retries, then throws TicketWriteFailed and leaves the record untouched', async () => {
    const ticket = ticketIn('-1');
    lab.faults.add('servicenow.any=http500');
    const note = await writer.note(ticket, 'applied', 'never arrives').catch((e: unknown) => e);
    expect(note).toBeInstanceOf(TicketWriteFailed);
    expect(note).toMatchObject({ name: 'TicketWriteFailed', detail: { system: 'servicenow', ticket: ticket.number, attempts: 3, status: 500 } });
    const close = await writer.close(ticket, 'successful', 'never').catch((e: unknown) => e);
    expect(close).toMatchObject({ name: 'TicketWriteFailed', detail: { operation: 'read state', attempts: 3 } });
    expect(lab.stats.total).toBe(6);
    expect(lab.records.get(ticket.key!)).toMatchObject({ state: '-1', sys_mod_count: '0' });
  });

  it('treats a dropped connection like an outage', async () => {
    const ticket = ticketIn('-1');
    lab.faults.add('servicenow.any=down');
    await expect(writer.note(ticket, 'accepted', 'x')).rejects.toMatchObject({ name: 'TicketWriteFailed', message: expect.stringMatching(/network error/) });
  });

  it('fails at once, without retries, on wrong credentials', async () => {
    const ticket = ticketIn('-1');
    const wrong = new ServiceNowTicketWriter({ url: lab.url, username: lab.username, password: 'wrong', http: { fetch, retry: { baseDelayMs: 5 } } });
    await expect(wrong.note(ticket, 'accepted', 'x')).rejects.toMatchObject({ detail: { attempts: 1, status: 401 } });
    expect(lab.stats.total).toBe(1);
  });
});
