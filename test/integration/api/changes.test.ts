import { createHash } from 'node:crypto';
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, root, startApiStack, type ApiStack } from './harness.js';

// POST /changes (manual start) and the rest of the route table over the local API server.

let stack: ApiStack;
const spec = parse(readFileSync(join(root, 'examples/add-pool-blue.yaml'), 'utf8')) as Record<string, unknown>;
// The local API records the operator the CLI names in this header as the IAM caller.
const json = { 'content-type': 'application/json', 'x-changeflow-caller': 'alice' };

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.close();
});

function manual(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ source: 'api', requestedBy: 'alice', spec, ...overrides });
}

describe('POST /changes', () => {
  it('starts a manual change recorded as ticket system "none", and the same document again is a duplicate', async () => {
    const first = await post(stack.url, '/changes', manual(), json);
    expect(first.status).toBe(202);
    const changeId = first.body['changeId'] as string;
    expect(changeId).toMatch(/^api-[0-9a-f]{16}$/);
    expect(first.body).toMatchObject({ status: 'started', executionArn: expect.stringContaining(`:execution:changeflow-change:${changeId}`) });
    const described = await stack.sfnClient.send(new DescribeExecutionCommand({ executionArn: first.body['executionArn'] as string }));
    expect(JSON.parse(described.input!)).toMatchObject({ source: 'api', ticket: { system: 'none' }, requestedBy: 'alice', spec: { mode: 'plan-only' } });
    const again = await post(stack.url, '/changes', manual(), json);
    expect(again).toEqual({ status: 200, body: { status: 'duplicate', changeId } });
    expect((await stack.executionNames()).filter((n) => n === changeId)).toHaveLength(1);
    // The duplicate is decided by the claim alone and leaves no record of its own.
    const log = await stack.store.deliveries.listDeliveryOutcomes(`manual:${changeId}`);
    expect(log.map((o) => o.outcome)).toEqual(['started']);
  });

  it('binds requestedBy to the authenticated caller and never records a webhook source for a manual start', async () => {
    const reply = await post(stack.url, '/changes', manual({ source: 'servicenow', requestedBy: 'mallory' }), { ...json, 'x-changeflow-caller': 'carol', 'Idempotency-Key': 'bound-1' });
    expect(reply.status).toBe(202);
    expect(reply.body['changeId']).toBe('api-bound-1');
    const described = await stack.sfnClient.send(new DescribeExecutionCommand({ executionArn: reply.body['executionArn'] as string }));
    expect(JSON.parse(described.input!)).toMatchObject({ source: 'api', requestedBy: 'carol' });
    const bad = await post(stack.url, '/changes', manual(), { ...json, 'x-changeflow-caller': 'two words' });
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'Unauthorized' } } });
  });

  it('names the change after the Idempotency-Key, so a new key runs an identical document again', async () => {
    const a = await post(stack.url, '/changes', manual(), { ...json, 'Idempotency-Key': 'rerun-1' });
    const b = await post(stack.url, '/changes', manual(), { ...json, 'Idempotency-Key': 'rerun-2' });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect([a.body['changeId'], b.body['changeId']]).toEqual(['api-rerun-1', 'api-rerun-2']);
    const sameKey = await post(stack.url, '/changes', manual({ requestedBy: 'bob' }), { ...json, 'Idempotency-Key': 'rerun-1' });
    expect(sameKey.body).toEqual({ status: 'duplicate', changeId: 'api-rerun-1' });
  });

  it('answers duplicate when an execution of that name exists but has ended (ExecutionAlreadyExists)', async () => {
    const input = JSON.stringify({ something: 'else' });
    const started = await stack.sfnClient.send(new StartExecutionCommand({ stateMachineArn: stack.machineArn, name: 'cli-ended-1', input }));
    await stack.sfnClient.send(new StopExecutionCommand({ executionArn: started.executionArn }));
    const reply = await post(stack.url, '/changes', manual({ source: 'cli' }), { ...json, 'Idempotency-Key': 'ended-1' });
    expect(reply).toEqual({ status: 200, body: { status: 'duplicate', changeId: 'cli-ended-1' } });
  });

  it('refuses an invalid spec with 400 and issues naming each field', async () => {
    const bad = { ...spec, changes: [{ ...(spec['changes'] as object[])[0], blocks: ['10.0.11.0/33'] }] };
    const reply = await post(stack.url, '/changes', manual({ spec: bad, requestedBy: '' }), json);
    expect(reply.status).toBe(400);
    const error = reply.body['error'] as { code: string; issues: Array<{ path: string }> };
    expect(error.code).toBe('InvalidInput');
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['requestedBy', 'spec.changes[0].blocks[0]']));
  });

  it('refuses non-JSON with 400, another media type with 415 and a bad Idempotency-Key with 400', async () => {
    expect((await post(stack.url, '/changes', '{"source":', json)).body).toMatchObject({ error: { code: 'InvalidJson' } });
    expect((await post(stack.url, '/changes', manual(), { 'content-type': 'text/yaml' })).status).toBe(415);
    const badKey = await post(stack.url, '/changes', manual(), { ...json, 'Idempotency-Key': 'has spaces in it' });
    expect(badKey.status).toBe(400);
    expect(badKey.body).toMatchObject({ error: { issues: [{ path: 'headers.Idempotency-Key' }] } });
  });
});

describe('the rest of the route table', () => {
  it('answers GET /healthz with 200 {status: "ok"}', async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown route and a wrong method with 404 in the error shape', async () => {
    const unknown = await fetch(`${stack.url}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NotFound', message: 'no route GET /nope' } });
    const wrongMethod = await fetch(`${stack.url}/webhooks/jira`);
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toMatchObject({ error: { message: expect.stringContaining('takes POST') } });
  });

  describe('a recorded change', () => {
    const changeId = 'api-page-1';
    beforeAll(async () => {
      await stack.store.changes.create({
        changeId,
        ticket: { system: 'servicenow', key: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb01', number: 'CHG0040001' },
        source: 'servicenow',
        targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
        requestedBy: 'alice',
        mode: 'plan-only',
      });
      await stack.store.audit.appendEvent({ changeId, type: 'change.received', status: 'RECEIVED', actor: 'intake', detail: {} });
      await stack.store.audit.appendEvent({
        changeId,
        type: 'plan.created',
        status: 'PLANNED',
        actor: 'changeflow-workflow',
        detail: { planHash: 'f'.repeat(64), diff: [{ sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-blue' }] },
      });
    });

    it('serves GET /changes/{id} as JSON by default and the timeline page to a browser', async () => {
      const asJson = await fetch(`${stack.url}/changes/${changeId}`);
      expect(asJson.headers.get('content-type')).toMatch(/application\/json/);
      expect(await asJson.json()).toMatchObject({ change: { changeId, status: 'RECEIVED' } });
      const page = await fetch(`${stack.url}/changes/${changeId}`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<title>api-page-1');
      expect(html).toContain('plan.created');
      expect(html).toContain('cilium.io/v2/CiliumLoadBalancerIPPool/pool-blue');
      // A strict policy: nothing but the page's own inline style, allowed by its hash.
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
      expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
      expect(html).not.toMatch(/<script|style="/);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    });

    // @middy/http-content-negotiation on the page routes: the page only when the client ranks
    // text/html above JSON; JSON when they tie, when nothing is said, or when html has q=0.
    it.for<[string, string | undefined, 'html' | 'json']>([
      ['/changes/ID', undefined, 'json'],
      ['/changes/ID', '*/*', 'json'],
      ['/changes/ID', 'application/json, text/html', 'json'],
      ['/changes/ID', 'text/html;q=0, */*', 'json'],
      ['/changes/ID', 'text/html;q=0.5, application/json', 'json'],
      ['/changes/ID', 'text/*, application/json;q=0.1', 'html'],
      ['/changes/ID', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'html'],
      ['/changes', undefined, 'json'],
      ['/changes', 'application/json;q=0.9, text/html', 'html'],
      ['/changes', 'image/png', 'json'],
      ['/', 'application/json', 'html'],
    ])('GET %s with Accept %j answers %s', async ([route, accept, kind]) => {
      const res = await fetch(`${stack.url}${route.replace('ID', changeId)}`, { headers: accept === undefined ? {} : { accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(kind === 'html' ? /^text\/html/ : /^application\/json/);
      const body = await res.text();
      if (kind === 'html') expect(body).toContain(changeId);
      else expect(JSON.parse(body)).toSatisfy((b: Record<string, unknown>) => 'change' in b || 'changes' in b);
    });

    it.each(['/changes/ID', '/changes/ID/events', '/changes/ID/verify'])('answers %s with a 5000-character id with 400 naming the path parameter', async (route) => {
      for (const id of ['x'.repeat(5000), 'a#b', '-starts-with-dash']) {
        const res = await fetch(`${stack.url}${route.replace('ID', encodeURIComponent(id))}`, { headers: { accept: 'text/html' } });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: 'InvalidInput', issues: [{ path: 'pathParameters.id' }] } });
      }
    });

    it('serves the events, the chain verdict and the listing by ticket through the same routes as the CDK API', async () => {
      const events = (await (await fetch(`${stack.url}/changes/${changeId}/events`)).json()) as { events: Array<{ type: string }> };
      expect(events.events.map((e) => e.type)).toEqual(['change.received', 'plan.created']);
      expect(await (await fetch(`${stack.url}/changes/${changeId}/verify`)).json()).toMatchObject({ changeId, valid: true, events: 2 });
      const listed = (await (await fetch(`${stack.url}/changes?ticket=servicenow:CHG0040001`)).json()) as { changes: Array<{ changeId: string }> };
      expect(listed.changes.map((c) => c.changeId)).toEqual([changeId]);
    });

    it('answers 404 for an unknown change id, as JSON and for a browser', async () => {
      const json = await fetch(`${stack.url}/changes/no-such-change`, { headers: { accept: 'application/json' } });
      expect(json.status).toBe(404);
      expect(await json.json()).toMatchObject({ error: { code: 'ChangeNotFound' } });
      // A browser gets a page that says so and leads back to the index.
      const page = await fetch(`${stack.url}/changes/no-such-change`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('no-such-change');
    });
  });
});
