import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, LeaseLost, LockHeld, NotLeaseOwner, TargetBusy, type Store } from '../../../shared/store/index.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

let table: TestTable;
let store: Store;
const clock = testClock('2026-11-03T10:00:00.000Z');
const ttl = 60_000;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: clock.now });
});
afterAll(async () => table.close());

describe('leases over dynalite', () => {
  it('never lets two changes racing for overlapping targets both hold them', async () => {
    for (let round = 0; round < 15; round += 1) {
      const fabric = `fabric:f${round}`;
      const a = [`cluster:a${round}`, fabric];
      const b = [fabric, `cluster:b${round}`];
      const results = await Promise.allSettled([store.locks.acquire(a, `a${round}`, ttl), store.locks.acquire(b, `b${round}`, ttl)]);
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(TargetBusy);
      const fabricLease = await store.locks.get(fabric);
      const winner = results[0]?.status === 'fulfilled' ? `a${round}` : `b${round}`;
      const loserName = winner === `a${round}` ? `b${round}` : `a${round}`;
      expect(fabricLease?.owner).toBe(winner);
      // The loser gave back the cluster it may have taken first.
      expect(await store.locks.get(`cluster:${loserName}`)).toBeUndefined();
    }
  });

  it('takes over a lease only once it has expired', async () => {
    await store.locks.acquire(['fabric:exp', 'cluster:exp'], 'old-change', ttl);
    await expect(store.locks.acquire(['fabric:exp'], 'new-change', ttl)).rejects.toBeInstanceOf(TargetBusy);
    clock.advance(ttl + 1);
    const leases = await store.locks.acquire(['fabric:exp', 'cluster:exp'], 'new-change', ttl);
    expect(leases.map((l) => l.owner)).toEqual(['new-change', 'new-change']);
    await expect(store.locks.heartbeat(['fabric:exp'], 'old-change', ttl)).rejects.toBeInstanceOf(LeaseLost);
  });

  it('keeps a lease alive with heartbeats past its first expiry', async () => {
    await store.locks.acquire(['fabric:hb'], 'hb-change', ttl);
    clock.advance(ttl - 1000);
    await store.locks.heartbeat(['fabric:hb'], 'hb-change', ttl);
    clock.advance(ttl - 1000);
    await expect(store.locks.acquire(['fabric:hb'], 'intruder', ttl)).rejects.toBeInstanceOf(TargetBusy);
  });

  it('refuses a release by anyone but the owner and keeps the lease', async () => {
    await store.locks.acquire(['cluster:own'], 'owner-change', ttl);
    await expect(store.locks.release(['cluster:own'], 'other-change')).rejects.toBeInstanceOf(NotLeaseOwner);
    expect((await store.locks.get('cluster:own'))?.owner).toBe('owner-change');
    await store.locks.release(['cluster:own'], 'owner-change');
    expect(await store.locks.get('cluster:own')).toBeUndefined();
    await store.locks.release(['cluster:own'], 'owner-change');
  });

  it('lets the same change re-acquire what it holds without releasing it on a later failure', async () => {
    await store.locks.acquire(['fabric:re'], 're-change', ttl);
    await store.locks.acquire(['cluster:re-busy'], 'blocker', ttl);
    await expect(store.locks.acquire(['fabric:re', 'cluster:re-busy'], 're-change', ttl)).rejects.toBeInstanceOf(TargetBusy);
    expect((await store.locks.get('fabric:re'))?.owner).toBe('re-change');
  });

  it('keeps the locks of a ROLLBACK_FAILED change until an operator unlocks, recording who and why', async () => {
    const change = newChange('rbf-1', { targets: { site: 'dc1', fabric: 'rbf-aci', cluster: 'rbf-k8s' } });
    await store.changes.create(change);
    await store.locks.acquire(['fabric:rbf-aci', 'cluster:rbf-k8s'], 'rbf-1', ttl);
    for (const status of ['PRECHECKING', 'PLANNED', 'APPLYING', 'ROLLING_BACK'] as const) await store.changes.updateStatus('rbf-1', status);
    await store.changes.updateStatus('rbf-1', 'ROLLBACK_FAILED', { outcome: { reason: 'APIC refused the inverse POST' } });

    await expect(store.locks.release(['fabric:rbf-aci'], 'rbf-1')).rejects.toBeInstanceOf(LockHeld);
    clock.advance(10 * ttl);
    await expect(store.locks.acquire(['fabric:rbf-aci'], 'next-change', ttl)).rejects.toThrow(/changeflow unlock fabric:rbf-aci --reason/);

    const forced = await store.locks.forceUnlock('fabric:rbf-aci', 'bob', 'inverse applied by hand, verified');
    expect(forced).toMatchObject({ released: true, previous: { owner: 'rbf-1', held: true } });
    expect(forced.event).toMatchObject({
      changeId: 'rbf-1',
      type: 'lock.released.forced',
      status: 'ROLLBACK_FAILED',
      actor: 'bob',
      detail: { target: 'fabric#rbf-aci', reason: 'inverse applied by hand, verified', held: true },
    });
    expect((await store.audit.verify('rbf-1')).valid).toBe(true);
    await store.locks.acquire(['fabric:rbf-aci'], 'next-change', ttl);
    expect(await store.locks.forceUnlock('cluster:nothing-here', 'bob', 'typo')).toEqual({ released: false });
  });
});
