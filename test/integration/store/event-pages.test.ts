import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditShow, type CommandIo } from '../../../cli/commands/audit.js';
import { createGetChangeEventsHandler } from '../../../functions/get-change-events.js';
import { createGetChangeHandler } from '../../../functions/get-change.js';
import { createLogger } from '../../../functions/runtime/logger.js';
import { createStore, type AuditEvent, type Store } from '../../../shared/store/index.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newChange, testClock } from './store-fixtures.js';

// Issue 20: a change at scale has hundreds of audit events. The API's events route (limit and
// cursor, as GET /changes pages), `changeflow audit show` and the timeline page list them a page
// at a time; following the next cursor from the first page gives every event exactly once.

let table: TestTable;
let store: Store;
let dataDir: string;
const logger = createLogger({ logLevel: 'SILENT' });
const total = 23;

function httpEvent(path: string, opts: { query?: Record<string, string>; id: string; accept?: string }) {
  return {
    version: '2.0', routeKey: 'GET /changes/{id}', rawPath: path, rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    headers: { accept: opts.accept ?? 'application/json' }, queryStringParameters: opts.query, pathParameters: { id: opts.id },
    isBase64Encoded: false, requestContext: { http: { method: 'GET', path, sourceIp: '127.0.0.1' } },
  };
}
type Reply = { statusCode: number; body: string };

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: testClock('2026-12-04T00:00:00.000Z', 1000).now });
  for (const id of ['pages-1', 'pages-2']) {
    await store.changes.create(newChange(id));
    for (let i = 0; i < (id === 'pages-1' ? total : 2); i++) await store.audit.appendEvent({ changeId: id, type: i === 0 ? 'change.received' : 'apply.aci.op', actor: 'workflow', detail: { n: i } });
  }
  dataDir = await mkdtemp(join(tmpdir(), 'changeflow-cli-'));
  await writeFile(join(dataDir, 'endpoints.json'), JSON.stringify({ api: 'http://127.0.0.1:1', dynamodb: table.endpoint }));
});
afterAll(async () => {
  await table?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const seqs = (events: readonly Pick<AuditEvent, 'seq'>[]) => events.map((e) => e.seq);
const all = Array.from({ length: total }, (_, i) => i + 1);

describe('paginated audit events', () => {
  it.each([1, 5, 22, 23, 100])('store: pages of %i give every event exactly once, in order, and the last page no cursor', async (limit) => {
    const got: AuditEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.audit.eventPage('pages-1', { limit, cursor });
      expect(page.events.length).toBeLessThanOrEqual(limit);
      expect(page.events.length).toBeGreaterThan(0);
      got.push(...page.events);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seqs(got)).toEqual(all);
    expect(pages).toBe(Math.ceil(total / limit));
  });

  it('store: refuses a cursor of another change and a page size outside 1–1000', async () => {
    const { nextCursor } = await store.audit.eventPage('pages-1', { limit: 5 });
    await expect(store.audit.eventPage('pages-2', { limit: 5, cursor: nextCursor })).rejects.toMatchObject({ name: 'InvalidInput' });
    await expect(store.audit.eventPage('pages-1', { limit: 0 })).rejects.toMatchObject({ name: 'InvalidInput' });
  });

  it('GET /changes/{id}/events?limit=&cursor=: the first page and its nextCursor give all events once; without limit, all at once as before', async () => {
    const handler = createGetChangeEventsHandler({ store: () => store, logger });
    const got: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const reply = (await handler(httpEvent('/changes/pages-1/events', { id: 'pages-1', query: { limit: '10', ...(cursor ? { cursor } : {}) } }), {})) as Reply;
      expect(reply.statusCode).toBe(200);
      const body = JSON.parse(reply.body) as { events: AuditEvent[]; nextCursor?: string };
      got.push(...body.events);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seqs(got)).toEqual(all);
    const whole = JSON.parse(((await handler(httpEvent('/changes/pages-1/events', { id: 'pages-1' }), {})) as Reply).body) as { events: AuditEvent[]; nextCursor?: string };
    expect(seqs(whole.events)).toEqual(all);
    expect(whole.nextCursor).toBeUndefined();
    expect(((await handler(httpEvent('/changes/pages-1/events', { id: 'pages-1', query: { limit: '0' } }), {})) as Reply).statusCode).toBe(400);
  });

  it('changeflow audit show --limit: each page prints the next page\'s command; following them shows every event once', async () => {
    const shown: number[] = [];
    let args: { limit: string; cursor?: string } | undefined = { limit: '10' };
    let pages = 0;
    while (args) {
      const io: CommandIo & { out: string } = { out: '', colour: false, write: async (t: string) => void (io.out += t), error: () => undefined };
      expect(await auditShow('pages-1', { dataDir, ...args }, io)).toBe(0);
      pages++;
      // The table's rows start with the event's seq, then its ISO time.
      shown.push(...[...io.out.matchAll(/^(\d+)\s+2026-/gm)].map((m) => Number(m[1])));
      expect(io.out).toContain('chain intact (23 events)');
      const next = /next page: changeflow audit show pages-1 --limit 10 --cursor (\S+)/.exec(io.out)?.[1];
      if (!next) expect(io.out).toMatch(/events 21–23 of 23 \(last page\)/);
      args = next ? { limit: '10', cursor: next } : undefined;
    }
    expect(pages).toBe(3);
    expect(shown).toEqual(all);
  });

  it('the timeline page lists a page of events with a next-page link; following the links shows every event once', async () => {
    const handler = createGetChangeHandler({ store: () => store, logger, timelinePageSize: 10 });
    const seen: number[] = [];
    let query: Record<string, string> | undefined = {};
    let pages = 0;
    while (query) {
      const reply = (await handler(httpEvent('/changes/pages-1', { id: 'pages-1', query, accept: 'text/html' }), {})) as Reply;
      expect(reply.statusCode).toBe(200);
      pages++;
      seen.push(...[...reply.body.matchAll(/<span class="meta">#(\d+) ·/g)].map((m) => Number(m[1])));
      const href = /<a class="page-link" rel="next" href="([^"]+)">/.exec(reply.body)?.[1]?.replaceAll('&amp;', '&');
      if (pages > 1) expect(reply.body).toContain('>first page</a>');
      query = href ? Object.fromEntries(new URL(href, 'http://x').searchParams) : undefined;
      if (href) expect(href.startsWith('/changes/pages-1?cursor=')).toBe(true);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
  });
});
