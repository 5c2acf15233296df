import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../../shared/store/index.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

let table: TestTable;
let store: Store;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: testClock('2026-11-03T10:00:00.000Z', 5).now });
});
afterAll(async () => table.close());

describe('delivery dedupe over dynalite', () => {
  it('turns 50 concurrent identical deliveries into one change', async () => {
    const key = 'servicenow:9d7f2b1c0a:3';
    // Each delivery handler would start its own change id; only the first claim may start one.
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const candidate = `chg-dedupe-${i}`;
        const claim = await store.deliveries.claimDelivery(key, candidate);
        if (claim.first) {
          await store.changes.create(newChange(candidate, { ticket: { system: 'servicenow', key: 'CHG0031001' } }));
          return candidate;
        }
        return claim.changeId;
      }),
    );
    expect(new Set(outcomes).size).toBe(1);
    const page = await store.changes.list({ ticket: 'servicenow:CHG0031001' });
    expect(page.changes.map((c) => c.changeId)).toEqual([outcomes[0]]);
  });

  it('logs each delivery outcome, listed by key and by day', async () => {
    await store.deliveries.recordDelivery({ key: 'jira:abc', source: 'jira', outcome: 'started', changeId: 'chg-j1' });
    await store.deliveries.recordDelivery({ key: 'jira:abc', source: 'jira', outcome: 'duplicate', changeId: 'chg-j1' });
    await store.deliveries.recordDelivery({ key: 'jira:def', source: 'jira', outcome: 'ignored', reason: 'status is not Approved' });
    const byKey = await store.deliveries.listDeliveryOutcomes('jira:abc');
    expect(byKey.map((o) => o.outcome)).toEqual(['started', 'duplicate']);
    const byDay = await store.deliveries.listDeliveryOutcomesOfDay('2026-11-03');
    expect(byDay.map((o) => [o.key, o.outcome, o.reason])).toEqual([
      ['jira:abc', 'started', undefined],
      ['jira:abc', 'duplicate', undefined],
      ['jira:def', 'ignored', 'status is not Approved'],
    ]);
  });
});
