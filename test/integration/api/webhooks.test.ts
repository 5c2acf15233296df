import { sha256Hex } from '../../../shared/canonical-json.js';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHubDelivery } from '../../../shared/intake/signature.js';
import { jiraWebhook, post, serviceNowTicket, signedHeaders, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// docs/architecture.md §3.2 webhooks over HTTP: the local API server, dynalite and the local Step Functions
// engine; executions are counted with ListExecutions, deliveries read back from the store.

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.close();
});

const snow = (overrides: Record<string, unknown> = {}) => JSON.stringify(serviceNowTicket(overrides));

describe('POST /webhooks/servicenow', () => {
  it('starts one execution named for the ticket revision, with the ChangeRequest as input', async () => {
    const body = snow({ sys_mod_count: '7' });
    const reply = await post(stack.url, '/webhooks/servicenow', body, signedHeaders(body));
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({ changeId: 'snow-CHG0030012-7', executionArn: expect.stringMatching(/:execution:changeflow-change:snow-CHG0030012-7$/), status: 'started' });
    const described = await stack.sfnClient.send(new DescribeExecutionCommand({ executionArn: reply.body['executionArn'] as string }));
    expect(described.status).toBe('RUNNING');
    expect(JSON.parse(described.input!)).toMatchObject({
      source: 'servicenow',
      ticket: { system: 'servicenow', key: '9d3c1e2f1b7a4c10a8d2e0f4c6b8a901', number: 'CHG0030012', revision: '7' },
      spec: { target: { site: 'dc1', cluster: 'prod-a' }, changes: [{ type: 'loadBalancerPool', name: 'pool-red' }] },
    });
    expect(await stack.executionNames()).toContain('snow-CHG0030012-7');
    const log = await stack.store.deliveries.listDeliveryOutcomes('servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:7');
    expect(log.map((o) => [o.outcome, o.changeId])).toEqual([['started', 'snow-CHG0030012-7']]);
  });

  it('answers 200 duplicate with the same change id when the delivery comes again', async () => {
    const before = await stack.executionNames();
    const body = snow({ sys_mod_count: '7' });
    const reply = await post(stack.url, '/webhooks/servicenow', body, signedHeaders(body));
    expect(reply).toEqual({ status: 200, body: { status: 'duplicate', changeId: 'snow-CHG0030012-7' } });
    expect(await stack.executionNames()).toEqual(before);
  });

  it('refuses a wrong signature with 401 and writes nothing durable for it', async () => {
    const body = snow({ sys_mod_count: '8' });
    const headers = signedHeaders(body);
    headers['X-Changeflow-Signature'] = `sha256=${'0'.repeat(64)}`;
    const day = new Date().toISOString().slice(0, 10);
    const before = (await stack.store.deliveries.listDeliveryOutcomesOfDay(day)).length;
    const reply = await post(stack.url, '/webhooks/servicenow', body, headers);
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ error: { code: 'SignatureMismatch' } });
    expect((await stack.store.deliveries.listDeliveryOutcomesOfDay(day)).length).toBe(before);
    expect(await stack.executionNames()).not.toContain('snow-CHG0030012-8');
  });

  it('refuses a signature over a different body (one byte changed after signing) with 401', async () => {
    const body = snow({ sys_mod_count: '8' });
    const headers = signedHeaders(body);
    const reply = await post(stack.url, '/webhooks/servicenow', body.replace('pool-red', 'pool-rex'), headers);
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ error: { code: 'SignatureMismatch' } });
  });

  it('refuses a correctly signed delivery whose timestamp is 10 minutes old with 401', async () => {
    const body = snow({ sys_mod_count: '8' });
    const reply = await post(stack.url, '/webhooks/servicenow', body, signedHeaders(body, new Date(Date.now() - 600_000)));
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ error: { code: 'TimestampOutOfWindow', message: expect.stringContaining('old') } });
    expect(await stack.executionNames()).not.toContain('snow-CHG0030012-8');
  });

  it('ignores a ticket that is not approved with 202 and the reason, recording only a sample of such deliveries', async () => {
    const body = snow({ sys_mod_count: '9', approval: 'requested' });
    const reply = await post(stack.url, '/webhooks/servicenow', body, signedHeaders(body));
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({ status: 'ignored', reason: 'CHG0030012 has approval "requested", not "approved"' });
    const key = 'servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:9';
    const sampled = Number.parseInt(sha256Hex(key).slice(0, 8), 16) % 100 === 0;
    const log = await stack.store.deliveries.listDeliveryOutcomes(key);
    expect(log).toEqual(sampled ? [expect.objectContaining({ outcome: 'ignored', reason: expect.stringContaining('requested') })] : []);
    expect(await stack.executionNames()).not.toContain('snow-CHG0030012-9');
  });

  it('refuses an invalid ChangeSpec with 400 naming the field inside u_change_spec', async () => {
    const spec = serviceNowTicket()['u_change_spec'] as string;
    const body = snow({ sys_mod_count: '10', u_change_spec: spec.replace('blocks: ["10.0.10.0/24"]', 'blocks: ["10.0.10.0/33"]') });
    const reply = await post(stack.url, '/webhooks/servicenow', body, signedHeaders(body));
    expect(reply.status).toBe(400);
    const error = reply.body['error'] as { code: string; issues: Array<{ path: string }> };
    expect(error.code).toBe('InvalidChangeSpec');
    expect(error.issues.map((i) => i.path)).toContain('u_change_spec: changes[0].blocks[0]');
    expect(await stack.executionNames()).not.toContain('snow-CHG0030012-10');
  });

  it('starts exactly one execution for 50 concurrent identical deliveries', async () => {
    const body = snow({ sys_mod_count: '11' });
    const headers = signedHeaders(body);
    const replies = await Promise.all(Array.from({ length: 50 }, () => post(stack.url, '/webhooks/servicenow', body, headers)));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200 && r.body['status'] === 'duplicate' && r.body['changeId'] === 'snow-CHG0030012-11')).toHaveLength(49);
    expect((await stack.executionNames()).filter((n) => n === 'snow-CHG0030012-11')).toHaveLength(1);
  });

  it('refuses a body over 256 KiB with 413 before checking anything else', async () => {
    const body = snow({ sys_mod_count: '12', short_description: 'x'.repeat(300 * 1024) });
    const reply = await post(stack.url, '/webhooks/servicenow', body, signedHeaders(body));
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ error: { code: 'PayloadTooLarge' } });
  });

  it('refuses a content type other than application/json with 415', async () => {
    const body = snow({ sys_mod_count: '12' });
    const reply = await post(stack.url, '/webhooks/servicenow', body, { ...signedHeaders(body), 'content-type': 'application/x-www-form-urlencoded' });
    expect(reply.status).toBe(415);
    expect(reply.body).toMatchObject({ error: { code: 'UnsupportedMediaType', message: expect.stringContaining('x-www-form-urlencoded') } });
  });

  it('answers duplicate for a new revision of a ticket whose change is still running (our own work notes bump sys_mod_count)', async () => {
    await stack.store.changes.create({
      changeId: 'snow-CHG0030099-3',
      ticket: { system: 'servicenow', key: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa99', number: 'CHG0030099', revision: '3' },
      source: 'servicenow',
      targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
      requestedBy: 'tester',
      mode: 'apply',
    });
    const body = snow({ sys_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa99', number: 'CHG0030099', sys_mod_count: '4' });
    const reply = await post(stack.url, '/webhooks/servicenow', body, signedHeaders(body));
    expect(reply).toEqual({ status: 200, body: { status: 'duplicate', changeId: 'snow-CHG0030099-3' } });
    expect(await stack.executionNames()).not.toContain('snow-CHG0030099-4');
  });
});

describe('POST /webhooks/jira', () => {
  it('starts the change for an approval signed with Jira’s native X-Hub-Signature; a replay with a fresh identifier starts nothing', async () => {
    const body = JSON.stringify({ ...jiraWebhook(), timestamp: Date.now() });
    const hub = (identifier: string) => ({ 'content-type': 'application/json', ...signHubDelivery(webhookSecret, body), 'X-Atlassian-Webhook-Identifier': identifier });
    const reply = await post(stack.url, '/webhooks/jira', body, hub('hook-1'));
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ changeId: 'jira-NETCHG-42-10901', status: 'started' });
    const again = await post(stack.url, '/webhooks/jira', body, hub('attacker-fresh-identifier'));
    expect(again.body).toEqual({ status: 'duplicate', changeId: 'jira-NETCHG-42-10901' });
    // The same capture an hour later: the body's signed timestamp is outside the window.
    const old = JSON.stringify({ ...jiraWebhook(), timestamp: Date.now() - 3_600_000 });
    const late = await post(stack.url, '/webhooks/jira', old, { 'content-type': 'application/json', ...signHubDelivery(webhookSecret, old), 'X-Atlassian-Webhook-Identifier': 'another-fresh-one' });
    expect(late).toMatchObject({ status: 401, body: { error: { code: 'TimestampOutOfWindow' } } });
    expect((await stack.executionNames()).filter((n) => n.startsWith('jira-'))).toEqual(['jira-NETCHG-42-10901']);
  });

  it('refuses an X-Hub-Signature made with another secret with 401', async () => {
    const body = JSON.stringify(jiraWebhook());
    const reply = await post(stack.url, '/webhooks/jira', body, { 'content-type': 'application/json', ...signHubDelivery('another-secret-0123456789', body) });
    expect(reply.status).toBe(401);
  });

  it('ignores an update that did not move the issue to Approved', async () => {
    const hook = jiraWebhook() as { changelog: { items: Array<Record<string, unknown>> } };
    hook.changelog.items[0]!['toString'] = 'In review';
    const body = JSON.stringify(hook);
    const reply = await post(stack.url, '/webhooks/jira', body, signedHeaders(body));
    expect(reply).toEqual({ status: 202, body: { status: 'ignored', reason: expect.stringContaining('not to "Approved"') } });
  });
});
