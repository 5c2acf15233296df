import { describe, expect, it } from 'vitest';
import { evaluateDelivery } from '../../../shared/intake/intake.js';
import { replyWithoutStart } from '../../../shared/intake/delivery-verdict.js';
import { signHubDelivery } from '../../../shared/intake/signature.js';
import { ChangeRequest } from '../../../shared/spec/change-request.js';
import { config, example, fixture, now, secret, signed } from './deliveries.js';

// The shipped example's window is long so it works as shipped; the window cases here need a
// short one they can stand before, inside and after.
const snow: Record<string, unknown> = { ...example('servicenow-approved.json'), start_date: '2026-11-22 08:00:00', end_date: '2026-11-22 12:00:00' };
const jira = example('jira-approved.json');

describe('evaluateDelivery — ServiceNow', () => {
  it('accepts the approved example with a deterministic execution name and a valid ChangeRequest', () => {
    const verdict = evaluateDelivery(signed('servicenow', snow));
    expect(verdict).toMatchObject({
      kind: 'accepted',
      deliveryKey: 'servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:7',
      executionName: 'snow-CHG0030012-7',
    });
    if (verdict.kind !== 'accepted') return;
    expect(ChangeRequest.safeParse(verdict.request).success).toBe(true);
    expect(verdict.request).toMatchObject({
      source: 'servicenow',
      ticket: { system: 'servicenow', key: '9d3c1e2f1b7a4c10a8d2e0f4c6b8a901', number: 'CHG0030012', revision: '7' },
      requestedBy: '6816f79cc0a8016401c5a33be04be441',
      window: { start: '2026-11-22T08:00:00.000Z', end: '2026-11-22T12:00:00.000Z' },
      spec: { target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, changes: [{ type: 'loadBalancerPool', name: 'pool-red' }] },
    });
  });

  it('gives identical deliveries the same key and execution name', () => {
    const a = evaluateDelivery(signed('servicenow', snow));
    const b = evaluateDelivery(signed('servicenow', snow, {}, new Date(now.getTime() + 5000)));
    expect(b).toMatchObject({ kind: 'accepted', deliveryKey: a.kind === 'accepted' ? a.deliveryKey : 'none', executionName: 'snow-CHG0030012-7' });
  });

  it('reads the window in the configured instance time zone', () => {
    const verdict = evaluateDelivery({ ...signed('servicenow', snow), config: { secret, serviceNowTimeZone: 'Europe/Paris' } });
    expect(verdict).toMatchObject({ kind: 'accepted', request: { window: { start: '2026-11-22T07:00:00.000Z', end: '2026-11-22T11:00:00.000Z' } } });
  });

  it('refuses a wrong signature with 401', () => {
    const d = signed('servicenow', snow);
    const verdict = evaluateDelivery({ ...d, config: { secret: 'another-secret' } });
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 401, code: 'SignatureMismatch' });
  });

  it('refuses a stale timestamp with 401', () => {
    const verdict = evaluateDelivery(signed('servicenow', snow, {}, new Date(now.getTime() - 301_000)));
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 401, code: 'TimestampOutOfWindow' });
  });

  it('ignores a ticket that is not approved, with the reason and the delivery key', () => {
    const verdict = evaluateDelivery(signed('servicenow', { ...snow, approval: 'requested' }));
    expect(verdict).toEqual({
      kind: 'ignored',
      reason: 'CHG0030012 has approval "requested", not "approved"',
      deliveryKey: 'servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:7',
    });
    if (verdict.kind === 'ignored') expect(replyWithoutStart(verdict)).toEqual({ statusCode: 202, body: { status: 'ignored', reason: verdict.reason } });
  });

  it('ignores an approved ticket whose window has ended', () => {
    const verdict = evaluateDelivery({ ...signed('servicenow', snow), now: new Date('2026-11-22T12:00:00Z') });
    // The signature is 3 h old by then: re-sign at the later time.
    const late = new Date('2026-11-22T12:00:00Z');
    const fresh = evaluateDelivery({ ...signed('servicenow', snow, {}, late), now: late });
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 401 });
    expect(fresh).toMatchObject({ kind: 'ignored', reason: 'CHG0030012: window ended at 2026-11-22T12:00:00.000Z; reschedule the ticket to run it' });
  });

  it('accepts an approved ticket whose window has not started yet (the workflow waits for it)', () => {
    const early = new Date('2026-11-21T09:00:00Z');
    expect(evaluateDelivery({ ...signed('servicenow', snow, {}, early), now: early }).kind).toBe('accepted');
  });

  it('ignores an approved ticket without a ChangeSpec', () => {
    expect(evaluateDelivery(signed('servicenow', { ...snow, u_change_spec: '' }))).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/u_change_spec is empty/) });
  });

  it('refuses an invalid ChangeSpec with 400 naming the field inside u_change_spec', () => {
    const spec = (snow.u_change_spec as string).replace('blocks: ["10.0.10.0/24"]', 'blocks: ["10.0.10.0/33"]');
    const verdict = evaluateDelivery(signed('servicenow', { ...snow, u_change_spec: spec }));
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 400, code: 'InvalidChangeSpec', deliveryKey: expect.any(String) });
    if (verdict.kind !== 'refused') return;
    expect(verdict.issues?.[0]?.path).toBe('u_change_spec: changes[0].blocks[0]');
    expect(replyWithoutStart(verdict).body).toEqual({ error: { code: 'InvalidChangeSpec', message: verdict.message, issues: verdict.issues } });
  });

  it('refuses a spec that is not YAML with 400 pointing at u_change_spec', () => {
    const verdict = evaluateDelivery(signed('servicenow', { ...snow, u_change_spec: 'changes: [unclosed' }));
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 400, issues: [{ path: 'u_change_spec' }] });
  });

  it('refuses a record missing its sys_id with 400 naming the field', () => {
    const { sys_id: _omit, ...rest } = snow;
    expect(evaluateDelivery(signed('servicenow', rest))).toMatchObject({ kind: 'refused', httpStatus: 400, code: 'InvalidTicket', issues: [{ path: 'sys_id' }] });
  });

  it('refuses a malformed planned window with 400 naming start_date', () => {
    const verdict = evaluateDelivery(signed('servicenow', { ...snow, start_date: '22/11/2026 08:00' }));
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 400, code: 'InvalidWindow', issues: [{ path: 'start_date' }] });
  });

  it('refuses invalid JSON with 400', () => {
    expect(evaluateDelivery(signed('servicenow', '{"sys_id":'))).toMatchObject({ kind: 'refused', httpStatus: 400, code: 'InvalidJson' });
  });

  it('refuses JSON nested deeper than 64 levels with 400 instead of overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(evaluateDelivery({ ...signed('servicenow', deep), config: { secret, maxBytes: 1_000_000 } })).toMatchObject({ httpStatus: 400, code: 'InvalidJson' });
  });

  it('refuses a body over the limit with 413 before checking the signature', () => {
    const big = { ...snow, short_description: 'x'.repeat(256 * 1024) };
    const d = signed('servicenow', big);
    expect(evaluateDelivery({ ...d, headers: { 'content-type': 'application/json' } })).toMatchObject({ kind: 'refused', httpStatus: 413, code: 'PayloadTooLarge' });
    expect(evaluateDelivery({ ...d, config: { ...config, maxBytes: 512 * 1024 } }).kind).toBe('accepted');
  });

  it.each([
    [undefined, 415],
    ['text/plain', 415],
    ['application/x-www-form-urlencoded', 415],
    ['application/json; charset=iso-8859-1', 415],
    ['application/jsonp', 415],
    ['application/json', 'ok'],
    ['Application/JSON; charset=UTF-8', 'ok'],
  ])('content type %s → %s', (contentType, expected) => {
    const d = signed('servicenow', snow);
    const headers = { ...d.headers };
    delete headers['content-type'];
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    const verdict = evaluateDelivery({ ...d, headers });
    if (expected === 'ok') expect(verdict.kind).toBe('accepted');
    else expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 415, code: 'UnsupportedMediaType' });
  });

  it('throws a named error for a configuration that cannot work, instead of refusing deliveries', () => {
    expect(() => evaluateDelivery({ ...signed('servicenow', snow), config: { secret, serviceNowTimeZone: 'Mars/Base' } })).toThrow(
      expect.objectContaining({ name: 'InvalidInput', message: expect.stringMatching(/serviceNowTimeZone/) }),
    );
  });
});

describe('evaluateDelivery — Jira', () => {
  it('accepts the approved example (spec in a ```yaml block)', () => {
    const verdict = evaluateDelivery(signed('jira', jira, { 'X-Atlassian-Webhook-Identifier': 'f0e1d2c3-0001' }));
    expect(verdict).toMatchObject({
      kind: 'accepted',
      deliveryKey: 'jira:10042:10901',
      executionName: 'jira-NETCHG-42-10901',
      request: {
        source: 'jira',
        ticket: { system: 'jira', key: 'NETCHG-42', revision: '10901' },
        requestedBy: 'Change Manager',
        spec: { mode: 'plan-only', changes: [{ name: 'pool-blue' }] },
      },
    });
  });

  it('keys a delivery resent with a fresh X-Atlassian-Webhook-Identifier (unsigned) exactly as the original', () => {
    const first = evaluateDelivery(signed('jira', jira, { 'X-Atlassian-Webhook-Identifier': 'f0e1d2c3-0001' }));
    const resent = evaluateDelivery(signed('jira', jira, { 'X-Atlassian-Webhook-Identifier': 'attacker-fresh-0002' }));
    expect(resent).toMatchObject({ kind: 'accepted', deliveryKey: 'jira:10042:10901', executionName: 'jira-NETCHG-42-10901' });
    expect(first).toMatchObject({ deliveryKey: 'jira:10042:10901', executionName: 'jira-NETCHG-42-10901' });
  });

  const hub = (body: Record<string, unknown>) => {
    const rawBody = JSON.stringify(body);
    return evaluateDelivery({ system: 'jira', rawBody, headers: { 'Content-Type': 'application/json', ...signHubDelivery(secret, rawBody) }, config, now });
  };

  it("accepts Jira's native X-Hub-Signature when the body's timestamp is fresh", () => {
    expect(hub({ ...jira, timestamp: now.getTime() - 299_000 }).kind).toBe('accepted');
  });

  it.each([
    ['301 s old', now.getTime() - 301_000, /found 301 s old/],
    ['an hour old (a captured delivery)', now.getTime() - 3_600_000, /found 3600 s old/],
    ['in the future', now.getTime() + 600_000, /in the future/],
    ['missing', undefined, /found none/],
  ])('refuses X-Hub-Signature with a body timestamp %s: 401, it bounds replays', (_label, timestamp, message) => {
    const { timestamp: _t, ...rest } = jira;
    expect(hub(timestamp === undefined ? rest : { ...rest, timestamp })).toMatchObject({ kind: 'refused', httpStatus: 401, code: 'TimestampOutOfWindow', message: expect.stringMatching(message) });
  });

  it('refuses a status change without a changelog id: it could not be told apart from its replay', () => {
    const changelog = jira.changelog as { items: unknown[] };
    expect(evaluateDelivery(signed('jira', { ...jira, changelog: { items: changelog.items } }))).toMatchObject({
      kind: 'refused',
      httpStatus: 400,
      code: 'InvalidTicket',
      issues: [{ path: 'changelog.id', message: 'required when the changelog changes the status' }],
    });
  });

  it('refuses X-Hub-Signature on the ServiceNow route', () => {
    const rawBody = JSON.stringify(snow);
    const verdict = evaluateDelivery({ system: 'servicenow', rawBody, headers: { 'Content-Type': 'application/json', ...signHubDelivery(secret, rawBody) }, config, now });
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 401, code: 'SignatureMissing' });
  });

  it('accepts a spec in an ADF code block and in the configured custom field', () => {
    expect(evaluateDelivery(signed('jira', fixture('jira-approved-adf-description.json')))).toMatchObject({ kind: 'accepted', executionName: 'jira-NETCHG-42-10902' });
    const custom = evaluateDelivery({ ...signed('jira', fixture('jira-approved-custom-field.json')), config: { secret, jiraSpecField: 'customfield_10123' } });
    expect(custom).toMatchObject({ kind: 'accepted', request: { spec: { changes: [{ name: 'pool-green' }] } } });
  });

  it('ignores a transition to another status with the reason', () => {
    const moved = { ...jira, changelog: { id: '10950', items: [{ field: 'status', fromString: 'Approved', toString: 'Implementing' }] } };
    expect(evaluateDelivery(signed('jira', moved))).toEqual({
      kind: 'ignored',
      reason: 'NETCHG-42: status changed from "Approved" to "Implementing", not to "Approved"',
      deliveryKey: 'jira:10042:10950',
    });
  });

  it('uses the configured approved status', () => {
    expect(evaluateDelivery({ ...signed('jira', jira), config: { secret, jiraApprovedStatus: 'CAB Approved' } }).kind).toBe('ignored');
  });

  it('refuses an invalid spec in the description with 400 naming the block', () => {
    const issue = jira.issue as { fields: { description: string } };
    const bad = { ...jira, issue: { ...issue, fields: { ...issue.fields, description: issue.fields.description.replace('kind: ChangeSpec', 'kind: ChangeSpek') } } };
    const verdict = evaluateDelivery(signed('jira', bad));
    expect(verdict).toMatchObject({ kind: 'refused', httpStatus: 400, code: 'InvalidChangeSpec', issues: [{ path: 'description (```yaml block): kind' }] });
  });

  it('reads the window from configured Jira date-time fields', () => {
    const issue = jira.issue as { fields: Record<string, unknown> };
    const withWindow = { ...jira, issue: { ...issue, fields: { ...issue.fields, customfield_1: '2026-11-22T08:00:00.000+0100', customfield_2: '2026-11-22T12:00:00.000+0100' } } };
    const verdict = evaluateDelivery({ ...signed('jira', withWindow), config: { secret, jiraWindowFields: { start: 'customfield_1', end: 'customfield_2' } } });
    expect(verdict).toMatchObject({ kind: 'accepted', request: { window: { start: '2026-11-22T07:00:00.000Z', end: '2026-11-22T11:00:00.000Z' } } });
    const noOffset = { ...withWindow, issue: { ...withWindow.issue, fields: { ...withWindow.issue.fields, customfield_1: '2026-11-22T08:00:00' } } };
    const refused = evaluateDelivery({ ...signed('jira', noOffset), config: { secret, jiraWindowFields: { start: 'customfield_1', end: 'customfield_2' } } });
    expect(refused).toMatchObject({ httpStatus: 400, code: 'InvalidWindow', issues: [{ path: 'fields.customfield_1' }] });
  });
});
