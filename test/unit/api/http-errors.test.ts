import { describe, expect, it } from 'vitest';
import { createApproveChangeHandler } from '../../../functions/approve-change.js';
import { createLogger } from '../../../functions/runtime/logger.js';
import { createStartChangeHandler } from '../../../functions/start-change.js';
import type { Store } from '../../../shared/store/index.js';

// The request limits and error replies of the JSON routes now come from middy's http middlewares
// (httpApi + jsonBody): these run the real handlers with API Gateway v2 events and read the
// replies, so each §3.2 answer fails if the middleware order or the error mapping changes. No
// request here reaches a store except the last, whose store breaks the way an outage would.

const silent = createLogger({ logLevel: 'SILENT' });
const unreachable = (): never => {
  throw new Error('the request reached the store; the limits should have refused it first');
};
const internals = 'connect ECONNREFUSED 10.0.0.7:8000 table changeflow-prod-Table-1X2Y3Z';
const broken = (): Store => {
  throw new Error(internals);
};

const start = (store: () => Store) => createStartChangeHandler({ store, starter: unreachable, logger: silent });
const approve = createApproveChangeHandler({ store: unreachable, responder: unreachable, logger: silent });

const spec = { apiVersion: 'changeflow/v1', kind: 'ChangeSpec', target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, aci: { tenant: 't', vrf: 'v', l3out: 'l', physDomain: 'p', fabricAsn: 65001 }, changes: [{ type: 'loadBalancerPool', name: 'pool-x', blocks: ['10.0.12.0/24'], serviceSelector: { color: 'x' }, externalEpg: 'e' }] };
const goodBody = JSON.stringify({ source: 'api', requestedBy: 'alice', spec });

function event(rawPath: string, body: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const base64 = Buffer.isBuffer(body);
  return {
    rawPath,
    headers,
    pathParameters: rawPath.startsWith('/changes/') ? { id: rawPath.split('/')[2] ?? '' } : undefined,
    body: base64 ? body.toString('base64') : body,
    isBase64Encoded: base64,
    requestContext: { http: { method: 'POST' }, authorizer: { iam: { userArn: 'arn:aws:iam::000000000000:user/alice' } } },
  };
}

async function reply(handler: (e: unknown, c: unknown) => Promise<unknown>, e: unknown) {
  const r = (await handler(e, {})) as { statusCode: number; headers: Record<string, string>; body: string };
  return { status: r.statusCode, contentType: r.headers['Content-Type'] ?? r.headers['content-type'], body: JSON.parse(r.body) as { error: { code: string; message: string } } };
}

describe('JSON routes on middy: limits and error replies (§3.2 shape)', () => {
  it.for<[string, Parameters<typeof event>, number, string]>([
    ['malformed JSON', ['/changes', '{"source":'], 400, 'InvalidJson'],
    ['a JSON body that is not UTF-8', ['/changes', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])], 400, 'InvalidJson'],
    ['nesting deeper than 64', ['/changes', `${'['.repeat(65)}${']'.repeat(65)}`], 400, 'InvalidJson'],
    ['text/yaml', ['/changes', goodBody, { 'content-type': 'text/yaml' }], 415, 'UnsupportedMediaType'],
    ['no content type', ['/changes', goodBody, {}], 415, 'UnsupportedMediaType'],
    ['a charset other than UTF-8', ['/changes', goodBody, { 'content-type': 'application/json; charset=latin1' }], 415, 'UnsupportedMediaType'],
    ['a body over 256 KiB', ['/changes', JSON.stringify({ source: 'api', requestedBy: 'alice', spec, note: 'x'.repeat(256 * 1024) })], 413, 'PayloadTooLarge'],
  ])('POST /changes with %s → %i %s', async ([, args, status, code]) => {
    const r = await reply(start(unreachable), event(...args));
    expect(r).toMatchObject({ status, body: { error: { code } } });
    expect(r.contentType).toMatch(/^application\/json/);
  });

  it.for<[string, Parameters<typeof event>, number, string]>([
    ['malformed JSON', ['/changes/api-1/approve', '{'], 400, 'InvalidJson'],
    ['a form body', ['/changes/api-1/approve', 'note=ok', { 'content-type': 'application/x-www-form-urlencoded' }], 415, 'UnsupportedMediaType'],
    ['a body over the control routes’ 16 KiB', ['/changes/api-1/approve', JSON.stringify({ note: 'x'.repeat(17 * 1024) })], 413, 'PayloadTooLarge'],
  ])('POST /changes/{id}/approve with %s → %i %s', async ([, args, status, code]) => {
    expect(await reply(approve, event(...args))).toMatchObject({ status, body: { error: { code } } });
  });

  it('answers an error it does not know with a 500 that says nothing of what failed', async () => {
    const r = await reply(start(broken), event('/changes', goodBody));
    expect(r.status).toBe(500);
    expect(r.contentType).toMatch(/^application\/json/);
    expect(r.body).toEqual({ error: { code: 'InternalError', message: expect.any(String) } });
    for (const leak of ['ECONNREFUSED', '10.0.0.7', 'changeflow-prod', 'Error:', 'at ']) expect(JSON.stringify(r.body)).not.toContain(leak);
  });
});
