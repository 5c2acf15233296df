import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, createWaitQueues, LockHeld, type LockHandoff, type QueueEntry, type Store, type TaskWaker, type WaitQueues } from '../../../shared/store/index.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

// The per-target wait queue and its handoff over dynalite: the release hands the lease to the
// head with a conditional write and wakes it; waiters that cannot be woken are skipped. The
// waker is a recording stand-in for SendTaskSuccess (the workflow tests use the real engine).

let table: TestTable;
let store: Store;
let queues: WaitQueues;
const clock = testClock('2026-11-03T10:00:00.000Z');
const ttl = 60_000;
const slice = 30_000;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: clock.now });
  queues = createWaitQueues({ client: table.client, tableName: table.tableName, now: clock.now });
});
afterAll(async () => table.close());

/** Wakes every token except the ones listed as gone (their task ended); records who was woken. */
function recordingWaker(gone: readonly string[] = []): TaskWaker & { woken: Array<{ token: string; handoff: LockHandoff }> } {
  const woken: Array<{ token: string; handoff: LockHandoff }> = [];
  return {
    woken,
    async wake(token, handoff) {
      if (gone.includes(token)) return 'gone';
      woken.push({ token, handoff });
      return 'woken';
    },
  };
}

async function queueUp(target: string, changeId: string, overrides: Partial<QueueEntry> = {}): Promise<QueueEntry> {
  clock.advance(1);
  const entry: QueueEntry = {
    target,
    changeId,
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:changeflow-change:${changeId}`,
    token: `token-${changeId}`,
    since: clock.now().toISOString(),
    tokenExpiresAt: clock.now().getTime() + slice,
    ...overrides,
  };
  await queues.enqueue(entry);
  return entry;
}

describe('the wait queue of a target', () => {
  it('hands the lease over in FIFO order, one release at a time, and frees it when nobody waits', async () => {
    const target = 'fabric#fifo';
    await store.locks.acquire([target], 'holder', ttl);
    for (const id of ['first', 'second', 'third']) await queueUp(target, id);
    expect(await queues.standing(target, 'third')).toEqual({ position: 3, waiting: 3 });
    const waker = recordingWaker();
    const order: string[] = [];
    let owner = 'holder';
    for (let i = 0; i < 3; i += 1) {
      const handed = await queues.handOver(target, owner, ttl, waker);
      expect(handed.skipped).toEqual([]);
      const next = handed.to?.changeId ?? 'nobody';
      expect((await store.locks.get(target))?.owner).toBe(next);
      order.push(next);
      owner = next;
    }
    expect(order).toEqual(['first', 'second', 'third']);
    expect(waker.woken.map((w) => [w.token, w.handoff.from])).toEqual([
      ['token-first', 'holder'],
      ['token-second', 'first'],
      ['token-third', 'second'],
    ]);
    const last = await queues.handOver(target, 'third', ttl, waker);
    expect(last.to).toBeUndefined();
    expect(await store.locks.get(target)).toBeUndefined();
    expect(await queues.entries(target)).toEqual([]);
  });

  it('orders waiters by when they first queued, so a re-armed wait keeps its place', async () => {
    const target = 'cluster#rearm';
    await store.locks.acquire([target], 'holder', ttl);
    const early = await queueUp(target, 'early');
    await queueUp(target, 'late');
    // The early waiter's slice ended and it re-armed with a new token, keeping `since`.
    await queues.enqueue({ ...early, token: 'token-early-2', tokenExpiresAt: clock.now().getTime() + slice });
    const waker = recordingWaker();
    const handed = await queues.handOver(target, 'holder', ttl, waker);
    expect(handed.to?.changeId).toBe('early');
    expect(waker.woken[0]?.token).toBe('token-early-2');
  });

  it('skips a waiter whose token timed out without trying to wake it', async () => {
    const target = 'fabric#expired';
    await store.locks.acquire([target], 'holder', ttl);
    await queueUp(target, 'timed-out', { tokenExpiresAt: clock.now().getTime() + 5 });
    await queueUp(target, 'patient', { tokenExpiresAt: clock.now().getTime() + 10 * slice });
    clock.advance(10);
    const waker = recordingWaker();
    const handed = await queues.handOver(target, 'holder', ttl, waker);
    expect(handed.to?.changeId).toBe('patient');
    expect(waker.woken.map((w) => w.token)).toEqual(['token-patient']);
    expect((await queues.entries(target)).map((e) => e.changeId)).toEqual([]);
  });

  it('skips a waiter whose execution was stopped: the lease moves on from it to the next', async () => {
    const target = 'cluster#stopped';
    await store.locks.acquire([target], 'holder', ttl);
    await queueUp(target, 'stopped');
    await queueUp(target, 'alive');
    const waker = recordingWaker(['token-stopped']);
    const handed = await queues.handOver(target, 'holder', ttl, waker);
    expect(handed).toMatchObject({ skipped: ['stopped'], to: { changeId: 'alive' } });
    expect(waker.woken).toEqual([{ token: 'token-alive', handoff: { target, from: 'stopped', at: clock.now().toISOString() } }]);
    expect((await store.locks.get(target))?.owner).toBe('alive');
  });

  it('frees the lease when the only waiter cannot be woken', async () => {
    const target = 'fabric#alone';
    await store.locks.acquire([target], 'holder', ttl);
    await queueUp(target, 'gone-waiter');
    const handed = await queues.handOver(target, 'holder', ttl, recordingWaker(['token-gone-waiter']));
    expect(handed).toEqual({ target, skipped: ['gone-waiter'] });
    expect(await store.locks.get(target)).toBeUndefined();
  });

  it('does not move a lease on from a skipped waiter that renewed it itself in the meantime', async () => {
    const target = 'cluster#renewed';
    await store.locks.acquire([target], 'holder', ttl);
    await queueUp(target, 'slow');
    await queueUp(target, 'next');
    // `slow` answers "gone" (its slice just ended) but its re-armed Acquire locks already saw the
    // lease as its own and renewed it: the releaser must not hand it on to `next` as well.
    const waker: TaskWaker = {
      async wake(token) {
        if (token !== 'token-slow') return 'woken';
        await store.locks.acquire([target], 'slow', ttl);
        return 'gone';
      },
    };
    const handed = await queues.handOver(target, 'holder', ttl, waker);
    expect(handed.to).toBeUndefined();
    expect((await store.locks.get(target))?.owner).toBe('slow');
    expect((await queues.entries(target)).map((e) => e.changeId)).toEqual(['next']);
  });

  it('gives a free target to the head when a change queues just after the release (kick)', async () => {
    const target = 'fabric#kick';
    await store.locks.acquire([target], 'holder', ttl);
    // The release ran between the waiter's failed attempt and its enqueue: nobody woke it.
    await store.locks.release([target], 'holder');
    await queueUp(target, 'latecomer');
    const waker = recordingWaker();
    const kicked = await queues.kick(target, ttl, waker);
    expect(kicked.to?.changeId).toBe('latecomer');
    expect(waker.woken[0]?.handoff.from).toBeUndefined();
    // A second kick (the releaser's own re-check) finds the lease taken and does nothing.
    expect((await queues.kick(target, ttl, waker)).to).toBeUndefined();
    expect(waker.woken).toHaveLength(1);
  });

  it('keeps a ROLLBACK_FAILED lease with its queue waiting, and `unlock` hands it to the head', async () => {
    const target = 'cluster#held';
    await store.changes.create(newChange('broken', { targets: { site: 'dc1', fabric: 'f-held', cluster: 'held' } }));
    await store.locks.acquire([target], 'broken', ttl);
    await store.locks.hold([target], 'broken', 'rollback failed');
    await queueUp(target, 'waiting');
    const waker = recordingWaker();
    await expect(queues.handOver(target, 'broken', ttl, waker)).rejects.toBeInstanceOf(LockHeld);
    expect(await queues.kick(target, ttl, waker)).toEqual({ target, skipped: [] });
    expect(waker.woken).toEqual([]);
    expect((await store.locks.get(target))?.owner).toBe('broken');
    // What `changeflow unlock` does: remove the held lease, then give the free target to the head.
    expect(await store.locks.forceUnlock(target, 'operator', 'checked by hand')).toMatchObject({ released: true });
    expect((await queues.kick(target, ttl, waker)).to?.changeId).toBe('waiting');
    expect((await store.locks.get(target))?.owner).toBe('waiting');
    expect(waker.woken.map((w) => w.token)).toEqual(['token-waiting']);
  });
});
