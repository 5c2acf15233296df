import { describe, expect, it } from 'vitest';
import { ServiceNowChangeRequest, serviceNowApproval, serviceNowDeliveryKey } from '../../../shared/intake/servicenow.js';
import { example } from './deliveries.js';

const base = ServiceNowChangeRequest.parse(example('servicenow-approved.json'));

describe('ServiceNow change_request records', () => {
  it('parses the Table API record of the example, keeping fields it does not know', () => {
    expect(base).toMatchObject({ number: 'CHG0030012', state: '-1', approval: 'approved', sys_mod_count: '7' });
    expect(base.assignment_group).toEqual({ link: expect.stringContaining('sys_user_group'), value: '287ebd7da9fe198100f92cc8d1d2154e' });
  });

  it('reads numeric state and sys_mod_count sent by a script as their string form', () => {
    const r = ServiceNowChangeRequest.parse({ ...example('servicenow-approved.json'), state: -2, sys_mod_count: 3 });
    expect([r.state, r.sys_mod_count]).toEqual(['-2', '3']);
  });

  it('names the field that breaks the schema', () => {
    const r = ServiceNowChangeRequest.safeParse({ ...example('servicenow-approved.json'), sys_id: 'not-a-sys-id' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['sys_id']);
  });

  it.each([
    ['approved', '-1', true, ''],
    ['approved', '-2', true, ''],
    ['approved', '-5', false, /New \(-5\), not Scheduled/],
    ['approved', '-3', false, /Authorize \(-3\)/],
    ['approved', '0', false, /Review \(0\)/],
    ['approved', '3', false, /Closed \(3\)/],
    ['approved', '4', false, /Canceled \(4\)/],
    ['approved', '42', false, /state 42/],
    ['requested', '-1', false, /approval "requested", not "approved"/],
    ['rejected', '-2', false, /"rejected"/],
    ['not requested', '-1', false, /"not requested"/],
  ])('approval %s in state %s → approved=%s', (approval, state, approved, reason) => {
    const verdict = serviceNowApproval({ ...base, approval, state });
    expect(verdict.approved).toBe(approved);
    if (!verdict.approved) expect(verdict.reason).toMatch(reason);
  });

  it('keys a delivery by sys_id and sys_mod_count, so each revision is one delivery', () => {
    expect(serviceNowDeliveryKey(base)).toBe('servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:7');
    expect(serviceNowDeliveryKey({ ...base, sys_mod_count: '8' })).toBe('servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:8');
  });
});
