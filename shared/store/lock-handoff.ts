import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import * as z from '../zod.js';
import { LockHeld, NotLeaseOwner } from './errors.js';
import { keys } from './keys.js';
import type { LockQueue, QueueEntry } from './lock-queue.js';
import { isConditionalCheckFailed, type StoreContext } from './store-context.js';
import { parseTargetRef } from './targets.js';

// Immediate handoff: a release moves the lease straight to the head of the target's queue with
// one conditional write (owner = releaser → owner = head), then wakes the head's task token. A
// head that cannot be woken (its token expired, its execution ended) is skipped: the lease moves
// on from it, conditional on it still being the owner. When nobody waits the lease is deleted and
// the queue read once more — a change that queued while we released would otherwise sleep on a
// free target; the same "kick" runs after every enqueue, so one of the two always sees the other.

/** What a woken waiter receives as its task output (the workflow keeps it at $.lockHandoff). */
export const LockHandoff = z.strictObject({
  target: z.string(),
  /** The change the lease came from; absent when the waiter found the target free. */
  from: z.optional(z.string()),
  at: z.string(),
});
export type LockHandoff = z.infer<typeof LockHandoff>;

/** Wakes a waiting task: `gone` when its token is no longer open (timed out, execution ended). */
export interface TaskWaker {
  wake(token: string, handoff: LockHandoff): Promise<'woken' | 'gone'>;
}

export interface HandOver {
  readonly target: string;
  /** The waiter that now owns the lease; absent when nobody waited and the lease was freed. */
  readonly to?: QueueEntry;
  /** When the lease changed hands (ISO), for the handoff latency of the woken change. */
  readonly at?: string;
  /** Waiters passed over because they could not be woken. */
  readonly skipped: readonly string[];
}

export function createLockHandoff(ctx: StoreContext, queue: LockQueue) {
  /**
   * Gives `owner`'s lease on `target` to the first waiter that can be woken, or frees it. A lease
   * that is not there is treated as free (releasing twice is harmless); someone else's lease or a
   * held one is refused, as a plain release would.
   */
  async function handOver(target: string, owner: string, ttlMs: number, waker: TaskWaker): Promise<HandOver> {
    const key = parseTargetRef(target).key;
    try {
      return await passOn(key, owner, ttlMs, waker);
    } catch (err) {
      if (!(err instanceof FirstStepRefused)) throw err;
      const lease = await leaseOwner(key);
      if (!lease) return passOn(key, undefined, ttlMs, waker);
      if (lease.owner !== owner) throw new NotLeaseOwner(key, owner, lease.owner);
      throw new LockHeld(key, owner);
    }
  }

  /** After queuing: if the target is free (or its lease expired), the head takes it now. */
  async function kick(target: string, ttlMs: number, waker: TaskWaker): Promise<HandOver> {
    return passOn(parseTargetRef(target).key, undefined, ttlMs, waker);
  }

  async function passOn(target: string, owner: string | undefined, ttlMs: number, waker: TaskWaker): Promise<HandOver> {
    const skipped: string[] = [];
    let holder = owner;
    // Set while the holder is a waiter we could not wake: the lease moves on from it only if it
    // is still the grant we made (that waiter may have renewed it itself in the meantime).
    let grant: string | undefined;
    let first = true;
    for (;;) {
      const head = (await queue.live(target))[0];
      if (!head) {
        if (holder === undefined) return { target, skipped };
        if (!(await free(target, holder, grant))) {
          if (first) throw new FirstStepRefused();
          return { target, skipped };
        }
        holder = undefined;
        first = false;
        continue;
      }
      const granted = randomUUID();
      const ok = holder === undefined ? await takeFree(target, head.changeId, ttlMs, granted) : await transfer(target, holder, grant, head.changeId, ttlMs, granted);
      if (!ok) {
        if (first && holder !== undefined) throw new FirstStepRefused();
        // Someone else gave the free lease away a moment ago; they wake its new owner.
        return { target, skipped };
      }
      first = false;
      await queue.leave(head);
      const handoff: LockHandoff = { target, ...(holder !== undefined ? { from: holder } : {}), at: ctx.now().toISOString() };
      if ((await waker.wake(head.token, handoff)) === 'woken') return { target, to: head, at: handoff.at, skipped };
      skipped.push(head.changeId);
      holder = head.changeId;
      grant = granted;
    }
  }

  function leaseFor(target: string, owner: string, ttlMs: number) {
    const now = ctx.now();
    return { target, owner, expiresAt: now.getTime() + ttlMs, acquiredAt: now.toISOString(), heartbeatAt: now.toISOString(), held: false };
  }

  async function transfer(target: string, from: string, fromGrant: string | undefined, to: string, ttlMs: number, grantId: string): Promise<boolean> {
    const lease = leaseFor(target, to, ttlMs);
    return conditional(() =>
      ctx.client.send(new UpdateCommand({
        TableName: ctx.tableName,
        Key: keys.lock(target),
        UpdateExpression: 'SET #owner = :to, expiresAt = :expires, acquiredAt = :at, heartbeatAt = :at, handedOverFrom = :from, grantId = :grant',
        ConditionExpression: `#owner = :from AND held = :false${fromGrant ? ' AND grantId = :fromGrant' : ''}`,
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':to': to, ':from': from, ':expires': lease.expiresAt, ':at': lease.acquiredAt, ':false': false, ':grant': grantId,
          ...(fromGrant ? { ':fromGrant': fromGrant } : {}),
        },
      })),
    );
  }

  async function takeFree(target: string, to: string, ttlMs: number, grantId: string): Promise<boolean> {
    return conditional(() =>
      ctx.client.send(new PutCommand({
        TableName: ctx.tableName,
        Item: { ...keys.lock(target), ...leaseFor(target, to, ttlMs), grantId },
        ConditionExpression: 'attribute_not_exists(pk) OR (held = :false AND expiresAt < :now)',
        ExpressionAttributeValues: { ':false': false, ':now': ctx.now().getTime() },
      })),
    );
  }

  async function free(target: string, owner: string, grant: string | undefined): Promise<boolean> {
    return conditional(() =>
      ctx.client.send(new DeleteCommand({
        TableName: ctx.tableName,
        Key: keys.lock(target),
        ConditionExpression: `attribute_not_exists(pk) OR (#owner = :owner AND held = :false${grant ? ' AND grantId = :grant' : ''})`,
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner, ':false': false, ...(grant ? { ':grant': grant } : {}) },
      })),
    );
  }

  async function conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return false;
    }
  }

  async function leaseOwner(target: string): Promise<{ owner: string } | undefined> {
    const out = await ctx.client.send(new GetCommand({ TableName: ctx.tableName, Key: keys.lock(target), ConsistentRead: true }));
    return out.Item ? z.object({ owner: z.string() }).parse(out.Item) : undefined;
  }

  return { handOver, kick };
}

/** The releaser's own first write was refused: it was not (or no longer) the lease's owner. */
class FirstStepRefused extends Error {
  override readonly name = 'FirstStepRefused';
}

export type LockHandoffStore = ReturnType<typeof createLockHandoff>;
