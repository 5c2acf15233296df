import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangeNotFound,
  createStore,
  InvalidTransition,
  type ChangeQuery,
  type ChangeRecord,
  type Store,
} from '../../../shared/store/index.js';
import { InvalidInput } from '../../../shared/errors.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

let table: TestTable;
let store: Store;
const clock = testClock('2026-11-01T08:00:00.000Z');

// 24 changes over 4 days (6 a day, 4 h apart), alternating fabrics and clusters and tickets.
const seeded: ChangeRecord[] = [];

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: clock.now });
  for (let i = 0; i < 24; i += 1) {
    clock.set(new Date(Date.parse('2026-11-01T01:00:00.000Z') + i * 4 * 3_600_000).toISOString());
    const { change } = await store.changes.create(
      newChange(`chg-${String(i).padStart(2, '0')}`, {
        ticket: i % 3 === 0 ? { system: 'jira', key: 'OPS-7' } : { system: 'servicenow', key: `CHG00${i}` },
        targets: { site: 'dc1', fabric: i % 2 === 0 ? 'dc1-aci' : 'dc2-aci', cluster: i % 4 === 0 ? 'prod-a' : 'prod-b' },
      }),
    );
    seeded.push(change);
    if (i % 5 === 0) seeded[i] = await store.changes.updateStatus(change.changeId, 'REJECTED', { outcome: { reason: 'busy' } });
  }
});
afterAll(async () => table.close());

async function listAll(query: ChangeQuery, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.changes.list(query, { limit, cursor });
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    ids.push(...page.changes.map((c) => c.changeId));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { ids, pages };
}

const newestFirst = (pred: (c: ChangeRecord, i: number) => boolean) =>
  seeded.filter((c, i) => pred(c, i)).map((c) => c.changeId).reverse();

describe('change records over dynalite', () => {
  it('lists changes of a ticket, newest first, across pages', async () => {
    const { ids, pages } = await listAll({ ticket: 'jira:OPS-7' }, 3);
    expect(ids).toEqual(newestFirst((_, i) => i % 3 === 0));
    expect(pages).toBeGreaterThan(1);
    expect((await listAll({ ticket: 'OPS-7' }, 5)).ids).toEqual(ids);
  });

  it('lists changes of a fabric and of a cluster within a time range', async () => {
    const since = '2026-11-02T00:00:00.000Z';
    const until = '2026-11-03T23:59:59.999Z';
    const inRange = (c: ChangeRecord) => c.createdAt >= since && c.createdAt <= until;
    expect((await listAll({ target: 'fabric:dc2-aci', since, until }, 4)).ids).toEqual(
      newestFirst((c) => c.targets.fabric === 'dc2-aci' && inRange(c)),
    );
    expect((await listAll({ target: 'cluster#prod-a', since, until }, 2)).ids).toEqual(
      newestFirst((c) => c.targets.cluster === 'prod-a' && inRange(c)),
    );
  });

  it('filters by status inside the chosen key, with exact page sizes', async () => {
    const { ids } = await listAll({ target: 'fabric:dc1-aci', status: 'REJECTED' }, 1);
    expect(ids).toEqual(newestFirst((c) => c.targets.fabric === 'dc1-aci' && c.status === 'REJECTED'));
    expect(ids.length).toBeGreaterThan(1);
  });

  it('lists every change in a time range across days without a ticket or target', async () => {
    const since = '2026-11-01T10:00:00.000Z';
    const until = '2026-11-03T10:00:00.000Z';
    const { ids } = await listAll({ since, until }, 5);
    expect(ids).toEqual(newestFirst((c) => c.createdAt >= since && c.createdAt <= until));
    expect((await listAll({}, 7)).ids).toEqual(newestFirst(() => true));
    expect((await listAll({ status: 'REJECTED' }, 2)).ids).toEqual(newestFirst((c) => c.status === 'REJECTED'));
  });

  it('finds a ServiceNow change by the number people see, and lists no manual change under a ticket', async () => {
    clock.set('2026-11-06T09:00:00.000Z');
    await store.changes.create(newChange('sn-num', { ticket: { system: 'servicenow', key: '9d7f2b1c0a8e4f6b9d7f2b1c0a8e4f6b', number: 'CHG0039999' } }));
    await store.changes.create(newChange('manual-1', { source: 'cli', ticket: { system: 'none', key: 'none' } }));
    expect((await store.changes.list({ ticket: 'CHG0039999' })).changes.map((c) => c.changeId)).toEqual(['sn-num']);
    expect((await store.changes.list({ ticket: 'none:none' })).changes).toEqual([]);
  });

  it('refuses a cursor from a different query and an unreadable one', async () => {
    const page = await store.changes.list({ ticket: 'jira:OPS-7' }, { limit: 2 });
    expect(page.nextCursor).toBeDefined();
    await expect(store.changes.list({ ticket: 'jira:OPS-8' }, { limit: 2, cursor: page.nextCursor })).rejects.toBeInstanceOf(InvalidInput);
    await expect(store.changes.list({}, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidInput);
  });

  it('walks a change through the transition table and refuses SUCCEEDED → APPLYING', async () => {
    clock.set('2026-11-05T09:00:00.000Z');
    await store.changes.create(newChange('walk-1'));
    for (const status of ['PRECHECKING', 'PLANNED', 'APPLYING', 'VERIFYING', 'SUCCEEDED'] as const) {
      clock.advance(1000);
      expect((await store.changes.updateStatus('walk-1', status)).status).toBe(status);
    }
    await expect(store.changes.updateStatus('walk-1', 'APPLYING')).rejects.toBeInstanceOf(InvalidTransition);
    const done = await store.changes.require('walk-1');
    expect(done).toMatchObject({ status: 'SUCCEEDED', createdAt: '2026-11-05T09:00:00.000Z', updatedAt: '2026-11-05T09:00:05.000Z' });
  });

  it('refuses APPLYING → FAILED: a failure after apply began must roll back', async () => {
    await store.changes.create(newChange('walk-2'));
    for (const status of ['PRECHECKING', 'PLANNED', 'APPLYING'] as const) await store.changes.updateStatus('walk-2', status);
    await expect(store.changes.updateStatus('walk-2', 'FAILED')).rejects.toThrow(/may move to VERIFYING, ROLLING_BACK/);
  });

  it('records the execution ARN and plan hash, and creating the same change twice is idempotent', async () => {
    const first = await store.changes.create(newChange('idem-1'));
    const again = await store.changes.create(newChange('idem-1'));
    expect(again).toEqual({ change: first.change, created: false });
    await expect(store.changes.create(newChange('idem-1', { mode: 'plan-only' }))).rejects.toThrow(/already exists/);
    const annotated = await store.changes.annotate('idem-1', {
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:changeflow:idem-1',
      planHash: 'a'.repeat(64),
    });
    expect(annotated).toMatchObject({ status: 'RECEIVED', planHash: 'a'.repeat(64) });
    await expect(store.changes.updateStatus('missing', 'FAILED')).rejects.toBeInstanceOf(ChangeNotFound);
  });

  it('lets only one of two concurrent writers end a change, refusing the other', async () => {
    await store.changes.create(newChange('race-1'));
    const results = await Promise.allSettled([
      store.changes.updateStatus('race-1', 'REJECTED'),
      store.changes.updateStatus('race-1', 'FAILED'),
    ]);
    const won = results.filter((r): r is PromiseFulfilledResult<ChangeRecord> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(InvalidTransition);
    expect((await store.changes.require('race-1')).status).toBe(won[0]?.value.status);
  });

  it('exports events and changes as JSONL and CSV, page by page', async () => {
    await store.audit.appendEvent({ changeId: 'chg-00', type: 'change.received', status: 'RECEIVED', actor: 'intake', detail: { note: 'a, "quoted"\nline' } });
    await store.audit.appendEvent({ changeId: 'chg-01', type: 'change.received', status: 'RECEIVED', actor: 'intake' });
    const range = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-01T06:00:00.000Z' };
    const jsonl: string[] = [];
    for await (const line of store.exportLines(range, 'jsonl', 'events')) jsonl.push(line);
    expect(jsonl.map((l) => JSON.parse(l).changeId)).toEqual(['chg-00', 'chg-01']);
    const csv: string[] = [];
    for await (const line of store.exportLines(range, 'csv', 'events')) csv.push(line);
    expect(csv[0]).toBe('changeId,seq,at,type,status,actor,detail,prevHash,hash\r\n');
    expect(csv[1]).toContain('"{""note"":""a, \\""quoted\\""\\nline""}"');
    const changes: string[] = [];
    for await (const line of store.exportLines({}, 'csv', 'changes')) changes.push(line);
    expect(changes).toHaveLength(1 + (await listAll({}, 100)).ids.length);
    expect(changes[1]).toMatch(/^chg-00,REJECTED,2026-11-01T01:00:00.000Z/);
  });
});
