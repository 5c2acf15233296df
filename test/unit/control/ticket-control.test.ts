import { describe, expect, it } from 'vitest';
import { jiraAsk, serviceNowAsk } from '../../../shared/control/ticket-control.js';

// What a ticket update asks of its running change (docs/architecture.md §3.7), as a table.

describe('serviceNowAsk', () => {
  const record = { sys_id: 'abc', number: 'CHG0042', sys_updated_by: 'jane.cab' };
  it.each([
    ['a cancelled ticket aborts', { ...record, state: '4' }, '-1', { kind: 'abort', reason: 'ticket CHG0042 was cancelled in ServiceNow' }],
    ['the implement state approves when configured', { ...record, state: '-1' }, '-1', { kind: 'approve-state', state: '-1', by: 'jane.cab' }],
    ['the implement state says nothing when not configured', { ...record, state: '-1' }, undefined, { kind: 'none' }],
    ['another state says nothing', { ...record, state: '-2' }, '-1', { kind: 'none' }],
    ['a note naming a hash wins over the state it was written in', { ...record, state: '-1', work_notes: '/approve 0123456789ab' }, '-1', { kind: 'approve', planHashPrefix: '0123456789ab' }],
  ])('%s', (_name, body, implementState, expected) => {
    expect(serviceNowAsk(body, implementState)).toMatchObject(expected);
  });
});

describe('jiraAsk', () => {
  const moved = (to: string) => ({ webhookEvent: 'jira:issue_updated', issue: { key: 'OPS-1' }, user: { emailAddress: 'jane@example.com' }, changelog: { items: [{ field: 'status', toString: to }] } });
  it.each([
    ['a move to the implement status approves (any case)', moved('implementing'), 'Implementing', { kind: 'approve-state', state: 'implementing', by: 'jane@example.com' }],
    ['a move to another status says nothing', moved('In Review'), 'Implementing', { kind: 'none' }],
    ['a move to the implement status says nothing when not configured', moved('Implementing'), undefined, { kind: 'none' }],
    ['a move to Cancelled aborts', moved('Cancelled'), 'Implementing', { kind: 'abort', reason: 'issue OPS-1 moved to Cancelled in Jira' }],
  ])('%s', (_name, body, implementStatus, expected) => {
    expect(jiraAsk(body, implementStatus)).toMatchObject(expected);
  });
});
