import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGetChangeEventsHandler } from '../../../functions/get-change-events.js';
import { createGetChangeHandler } from '../../../functions/get-change.js';
import { createListChangesHandler } from '../../../functions/list-changes.js';
import { createLogger } from '../../../functions/runtime/logger.js';
import { createVerifyChangeHandler } from '../../../functions/verify-change.js';
import { createStore, type Store } from '../../../shared/store/index.js';
import { keys } from '../../../shared/store/keys.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

let table: TestTable;
let store: Store;
const logger = createLogger({ logLevel: 'SILENT' });
const context = {};

function httpEvent(path: string, opts: { query?: Record<string, string>; id?: string } = {}) {
  return {
    version: '2.0',
    routeKey: 'GET /changes',
    rawPath: path,
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    headers: { accept: 'application/json' },
    queryStringParameters: opts.query,
    pathParameters: opts.id ? { id: opts.id } : undefined,
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path, sourceIp: '127.0.0.1' } },
  };
}

type Reply = { statusCode: number; headers: Record<string, string>; body: string };
const json = (reply: Reply) => JSON.parse(reply.body) as Record<string, unknown>;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: testClock('2026-11-03T10:00:00.000Z', 1000).now });
  for (const id of ['h-1', 'h-2', 'h-3']) {
    await store.changes.create(newChange(id, { targets: { site: 'dc1', fabric: 'dc1-aci', cluster: id === 'h-3' ? 'prod-b' : 'prod-a' } }));
    await store.audit.appendEvent({ changeId: id, type: 'change.received', status: 'RECEIVED', actor: 'intake', detail: { id } });
  }
  await store.audit.appendEvent({ changeId: 'h-1', type: 'lock.acquired', status: 'RECEIVED', actor: 'workflow' });
});
afterAll(async () => {
  for (const name of ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'POWERTOOLS_LOG_LEVEL']) delete process.env[name];
  await table.close();
});

describe('HTTP API handlers over dynalite', () => {
  const deps = () => ({ store: () => store, logger });

  it('GET /changes lists a target’s changes with limit and a cursor', async () => {
    const list = createListChangesHandler(deps());
    const first = (await list(httpEvent('/changes', { query: { target: 'cluster:prod-a', limit: '1' } }), context)) as Reply;
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/application\/json/);
    const body = json(first) as { changes: Array<{ changeId: string }>; nextCursor: string };
    expect(body.changes.map((c) => c.changeId)).toEqual(['h-2']);
    const second = json((await list(httpEvent('/changes', { query: { target: 'cluster:prod-a', limit: '1', cursor: body.nextCursor } }), context)) as Reply);
    expect((second['changes'] as Array<{ changeId: string }>).map((c) => c.changeId)).toEqual(['h-1']);
  });

  it('GET /changes answers 400 with issues for a bad filter', async () => {
    const list = createListChangesHandler(deps());
    const reply = (await list(httpEvent('/changes', { query: { since: 'last tuesday', limit: '0' } }), context)) as Reply;
    expect(reply.statusCode).toBe(400);
    const error = json(reply)['error'] as { code: string; issues: Array<{ path: string }> };
    expect(error.code).toBe('InvalidInput');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['limit', 'since']);
  });

  it('GET /changes/{id} returns the change, and 404 in the §3.2 error shape when absent', async () => {
    const get = createGetChangeHandler(deps());
    const found = (await get(httpEvent('/changes/h-1', { id: 'h-1' }), context)) as Reply;
    expect(found.statusCode).toBe(200);
    expect(json(found)['change']).toMatchObject({ changeId: 'h-1', status: 'RECEIVED', targets: { fabric: 'dc1-aci' } });
    const missing = (await get(httpEvent('/changes/nope', { id: 'nope' }), context)) as Reply;
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toEqual({ error: { code: 'ChangeNotFound', message: expect.stringContaining('nope') } });
  });

  it('GET /changes/{id}/events returns the chain in order', async () => {
    const events = createGetChangeEventsHandler(deps());
    const reply = (await events(httpEvent('/changes/h-1/events', { id: 'h-1' }), context)) as Reply;
    expect((json(reply)['events'] as Array<{ seq: number; type: string }>).map((e) => [e.seq, e.type])).toEqual([
      [1, 'change.received'],
      [2, 'lock.acquired'],
    ]);
  });

  it('GET /changes/{id}/verify reports an intact chain and names a tampered event', async () => {
    const verify = createVerifyChangeHandler(deps());
    expect(json((await verify(httpEvent('/changes/h-2/verify', { id: 'h-2' }), context)) as Reply)).toEqual({ changeId: 'h-2', valid: true, events: 1 });
    await table.client.send(
      new UpdateCommand({ TableName: table.tableName, Key: keys.event('h-2', 1), UpdateExpression: 'SET actor = :a', ExpressionAttributeValues: { ':a': 'mallory' } }),
    );
    const reply = (await verify(httpEvent('/changes/h-2/verify', { id: 'h-2' }), context)) as Reply;
    expect(reply.statusCode).toBe(200);
    expect(json(reply)).toMatchObject({ changeId: 'h-2', valid: false, events: 1, firstBadSeq: 1 });
  });

  it('answers 400 to an event that is not an HTTP API v2 event, and 500 without internals on a store failure', async () => {
    const get = createGetChangeHandler(deps());
    expect(((await get({ nonsense: true }, context)) as Reply).statusCode).toBe(400);
    const broken = createGetChangeHandler({
      logger,
      store: () => {
        throw new Error('socket hang up at 10.0.0.7');
      },
    });
    const reply = (await broken(httpEvent('/changes/h-1', { id: 'h-1' }), context)) as Reply;
    expect(reply.statusCode).toBe(500);
    expect(reply.body).not.toContain('10.0.0.7');
  });

  it('the deployed handler builds its store from TABLE_NAME and DYNAMODB_ENDPOINT', async () => {
    process.env['TABLE_NAME'] = table.tableName;
    process.env['DYNAMODB_ENDPOINT'] = table.endpoint;
    process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
    const { handler } = await import('../../../functions/get-change.js');
    const reply = (await handler(httpEvent('/changes/h-3', { id: 'h-3' }), context)) as Reply;
    expect(json(reply)['change']).toMatchObject({ changeId: 'h-3', targets: { cluster: 'prod-b' } });
  });
});
