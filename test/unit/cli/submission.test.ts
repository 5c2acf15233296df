import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSubmission } from '../../../cli/submission.js';
import { readReply } from '../../../cli/submit-reply.js';
import { verifyDeliverySignature } from '../../../shared/intake/signature.js';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const secret = 'unit-webhook-secret-0123456789';
const now = new Date('2026-11-23T10:00:00Z');
const base = { webhookSecret: secret, requestedBy: 'alice', now };

describe('buildSubmission', () => {
  it('signs a ServiceNow record over the file’s exact bytes for /webhooks/servicenow', () => {
    const text = read('examples/servicenow-approved.json');
    const built = buildSubmission({ ...base, text });
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    expect(built.submission).toMatchObject({ kind: 'servicenow', path: '/webhooks/servicenow', body: text });
    expect(verifyDeliverySignature({ headers: built.submission.headers, rawBody: text, secret, now, acceptHubSignature: false })).toEqual({ ok: true, scheme: 'changeflow' });
    expect(built.submission.headers['content-type']).toBe('application/json');
  });

  it('sends a Jira webhook to /webhooks/jira', () => {
    const built = buildSubmission({ ...base, text: read('examples/jira-approved.json') });
    expect(built.ok && built.submission.path).toBe('/webhooks/jira');
  });

  it('turns a ChangeSpec into a ChangeRequest from the CLI with no ticket, for POST /changes', () => {
    const built = buildSubmission({ ...base, text: read('examples/add-pool-blue.yaml'), idempotencyKey: 'k-1' });
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    expect(built.submission).toMatchObject({ kind: 'changeSpec', path: '/changes', headers: { 'idempotency-key': 'k-1' } });
    expect(JSON.parse(built.submission.body)).toMatchObject({
      source: 'cli',
      ticket: { system: 'none' },
      requestedBy: 'alice',
      spec: { kind: 'ChangeSpec', changes: [{ name: 'pool-blue' }], mode: 'plan-only' },
    });
  });

  it('posts a ChangeRequest document as it is', () => {
    const text = JSON.stringify({ source: 'console', requestedBy: 'bob', spec: read('examples/add-pool-blue.yaml') });
    const built = buildSubmission({ ...base, text });
    expect(built.ok && built.submission.kind).toBe('changeRequest');
    expect(built.ok && JSON.parse(built.submission.body)).toMatchObject({ source: 'console', requestedBy: 'bob' });
  });

  it('refuses an invalid ChangeSpec locally, naming the path', () => {
    const built = buildSubmission({ ...base, text: read('test/fixtures/specs/invalid/block-host-bits.yaml') });
    expect(built.ok).toBe(false);
    expect(!built.ok && built.issues.map((i) => i.path)).toContainEqual(expect.stringMatching(/^changes\[\d+\]\.blocks\[\d+\]$/));
  });

  it('refuses to send a ticket without the webhook secret', () => {
    const built = buildSubmission({ ...base, webhookSecret: undefined, text: read('examples/jira-approved.json') });
    expect(!built.ok && built.issues[0]?.message).toMatch(/webhook secret/);
  });
});

describe('readReply (exit codes of docs/architecture.md §3.4)', () => {
  it.for<[number, unknown, number, string]>([
    [202, { status: 'started', changeId: 'c-1', executionArn: 'arn:x' }, 0, 'started c-1'],
    [200, { status: 'duplicate', changeId: 'c-1' }, 0, 'duplicate: change c-1 was already started for this delivery'],
    [202, { status: 'ignored', reason: 'CHG1 is in Review (0)' }, 2, 'ignored: CHG1 is in Review (0)'],
    [400, { error: { code: 'InvalidChangeSpec', message: 'bad', issues: [{ path: 'u_change_spec: changes[0]', message: 'x' }] } }, 3, 'refused 400 InvalidChangeSpec: bad'],
    [401, { error: { code: 'SignatureMismatch', message: 'no' } }, 3, 'refused 401 SignatureMismatch: no'],
    [413, { error: { code: 'PayloadTooLarge', message: 'big' } }, 3, 'refused 413 PayloadTooLarge: big'],
    [415, { error: { code: 'UnsupportedMediaType', message: 'type' } }, 3, 'refused 415 UnsupportedMediaType: type'],
    [503, { error: { code: 'ExecutionStartFailed', message: 'later' } }, 1, 'refused 503 ExecutionStartFailed: later'],
    [502, '<html>Bad Gateway</html>', 1, 'unexpected reply 502: "<html>Bad Gateway</html>"'],
  ])('%i %j → exit %i', ([status, body, exitCode, firstLine]) => {
    const outcome = readReply(status, JSON.stringify(body));
    expect(outcome.exitCode).toBe(exitCode);
    expect(outcome.lines[0]).toBe(firstLine);
  });

  it('lists each issue under a refusal and gives the change id to wait for', () => {
    expect(readReply(400, JSON.stringify({ error: { code: 'InvalidInput', message: 'm', issues: [{ path: 'spec.aci', message: 'required' }] } })).lines).toEqual([
      'refused 400 InvalidInput: m',
      '  spec.aci: required',
    ]);
    expect(readReply(200, JSON.stringify({ status: 'duplicate', changeId: 'c-9' })).changeId).toBe('c-9');
  });
});
