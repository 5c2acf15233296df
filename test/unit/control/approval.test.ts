import { describe, expect, it } from 'vitest';
import { ApprovalPolicy, approvalFor, approvalInComment } from '../../../shared/control/approval.js';

const now = new Date('2026-12-01T10:00:00Z');
const targets = ['fabric#dc1-aci', 'cluster#prod-a'];
const policy = (requiredFor: string[]) => ApprovalPolicy.parse({ requiredFor, timeoutMinutes: 120 });

describe('approvalFor', () => {
  it.for([
    ['the spec asks for it', { approval: 'required' as const }, undefined, 'spec'],
    ['the policy names the cluster', {}, policy(['cluster#prod-a']), 'policy'],
    ['the policy covers every target', {}, policy(['*']), 'policy'],
  ] as const)('requires an approval when %s', ([, spec, p, source]) => {
    expect(approvalFor(spec, targets, p, undefined, now)?.source).toBe(source);
  });

  it('requires none when neither the spec nor a policy on these targets asks', () => {
    expect(approvalFor({}, targets, policy(['cluster#prod-b']), undefined, now)).toBeUndefined();
  });

  it('waits the spec timeout, else the policy one, bounded by the ticket window and the execution', () => {
    expect(approvalFor({ approval: 'required', approvalTimeoutMinutes: 30 }, targets, policy([]), undefined, now)).toMatchObject({ timeoutSeconds: 1800, deadline: '2026-12-01T10:30:00.000Z', status: 'waiting' });
    expect(approvalFor({}, targets, policy(['*']), undefined, now)?.timeoutSeconds).toBe(7200);
    expect(approvalFor({ approval: 'required' }, targets, undefined, { end: '2026-12-01T10:20:00Z' }, now)?.timeoutSeconds).toBe(1200);
    expect(approvalFor({ approval: 'required' }, targets, undefined, undefined, now, 600)?.timeoutSeconds).toBe(600);
    expect(approvalFor({ approval: 'required' }, targets, undefined, { end: '2026-12-01T09:00:00Z' }, now)?.timeoutSeconds).toBe(0);
  });
});

describe('approvalInComment', () => {
  const hash = 'ab'.repeat(32);
  it.for([
    [`/approve ${hash}`, 'approves'],
    [`looks fine\n/approve ${hash.slice(0, 12)} thanks`, 'approves'],
    [`/approve ${'cd'.repeat(32)}`, 'wrong-hash'],
    ['/approve cdcdcdcdcdcd', 'wrong-hash'],
    ['approved in CAB', 'none'],
    ['/approve abc', 'none'],
  ] as const)('reads %j as %s', ([text, verdict]) => {
    expect(approvalInComment(text, hash)).toBe(verdict);
  });
});
