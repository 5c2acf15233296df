import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditStore } from './audit.js';
import type { ChangeStore } from './changes.js';
import { LeaseLost, LockHeld, NotLeaseOwner, TargetBusy } from './errors.js';
import { keys } from './keys.js';
import { isConditionalCheckFailed, type StoreContext } from './store-context.js';
import { parseTargetRef } from './targets.js';
import { parseInput } from './validate.js';
import { ChangeId } from './change-record.js';

// Leases guard a target (fabric or cluster) for one change. Every write is a conditional put or
// update on the lease item (no transactions: dynalite has none), and the expiry is a plain
// attribute compared in the condition (no TTL needed). A lease of a change that ended in
// ROLLBACK_FAILED is *held*: it never expires and only `forceUnlock` frees it.
export const Lease = z.object({
  target: z.string(),
  owner: z.string(),
  expiresAt: z.number(),
  acquiredAt: z.string(),
  heartbeatAt: z.string(),
  held: z.boolean(),
  heldReason: z.optional(z.string()),
});
export type Lease = z.infer<typeof Lease>;

const LeaseTtl = z.int().check(z.gte(1000, 'a lease lasts at least 1 s'), z.lte(86_400_000, 'a lease lasts at most a day'));

export interface ForcedUnlock {
  released: boolean;
  previous?: Lease;
  event?: AuditEvent;
}

export function createLockStore(ctx: StoreContext, changes: ChangeStore, audit: AuditStore) {
  /**
   * Takes every target or none: targets are taken in sorted order (so two changes never wait on
   * each other in a cycle) and anything taken is given back if a later one is busy.
   */
  async function acquire(targets: readonly string[], owner: string, ttlMs: number): Promise<Lease[]> {
    parseInput(ChangeId, owner, 'lease owner (a change id)');
    parseInput(LeaseTtl, ttlMs, 'lease ttlMs');
    const ordered = [...new Set(targets.map((t) => parseTargetRef(t).key))].sort();
    const taken: Lease[] = [];
    const newlyTaken: string[] = [];
    try {
      for (const target of ordered) {
        const { lease, wasOurs } = await acquireOne(target, owner, ttlMs);
        taken.push(lease);
        if (!wasOurs) newlyTaken.push(target);
      }
      return taken;
    } catch (err) {
      await releaseQuietly(newlyTaken.reverse(), owner);
      throw err;
    }
  }

  async function acquireOne(target: string, owner: string, ttlMs: number): Promise<{ lease: Lease; wasOurs: boolean }> {
    const now = ctx.now();
    const lease: Lease = {
      target,
      owner,
      expiresAt: now.getTime() + ttlMs,
      acquiredAt: now.toISOString(),
      heartbeatAt: now.toISOString(),
      held: false,
    };
    try {
      const out = await ctx.client.send(
        new PutCommand({
          TableName: ctx.tableName,
          Item: { ...keys.lock(target), ...lease },
          // Free, or ours and not held, or expired and not held: only then may we take it.
          ConditionExpression: 'attribute_not_exists(pk) OR (held = :false AND (#owner = :owner OR expiresAt < :now))',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':false': false, ':owner': owner, ':now': now.getTime() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { lease, wasOurs: out.Attributes?.['owner'] === owner };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const holder = await get(target);
    throw new TargetBusy(target, holder?.owner ?? 'unknown', holder ? new Date(holder.expiresAt).toISOString() : 'unknown', holder?.held ?? false);
  }

  /** Extends the owner's leases; a lease that expired and was taken over is lost, not renewed. */
  async function heartbeat(targets: readonly string[], owner: string, ttlMs: number): Promise<void> {
    const now = ctx.now();
    for (const target of targets.map((t) => parseTargetRef(t).key)) {
      try {
        await ctx.client.send(
          new UpdateCommand({
            TableName: ctx.tableName,
            Key: keys.lock(target),
            UpdateExpression: 'SET expiresAt = :expires, heartbeatAt = :at',
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner, ':expires': now.getTime() + ttlMs, ':at': now.toISOString() },
          }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
        throw new LeaseLost(target, owner, (await get(target))?.owner);
      }
    }
  }

  /** Releases the owner's leases; someone else's lease, or a held one, is refused. Idempotent. */
  async function release(targets: readonly string[], owner: string): Promise<void> {
    const refusals: Error[] = [];
    for (const target of [...targets.map((t) => parseTargetRef(t).key)].sort().reverse()) {
      try {
        await ctx.client.send(
          new DeleteCommand({
            TableName: ctx.tableName,
            Key: keys.lock(target),
            ConditionExpression: 'attribute_not_exists(pk) OR (#owner = :owner AND held = :false)',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner, ':false': false },
          }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
        const holder = await get(target);
        if (holder?.owner !== owner) refusals.push(new NotLeaseOwner(target, owner, holder?.owner ?? 'nobody'));
        else refusals.push(new LockHeld(target, owner));
      }
    }
    if (refusals[0]) throw refusals[0];
  }

  /** Pins the owner's leases after ROLLBACK_FAILED; returns the targets it could pin. */
  async function hold(targets: readonly string[], owner: string, reason: string): Promise<string[]> {
    const pinned: string[] = [];
    for (const target of targets.map((t) => parseTargetRef(t).key)) {
      try {
        await ctx.client.send(
          new UpdateCommand({
            TableName: ctx.tableName,
            Key: keys.lock(target),
            UpdateExpression: 'SET held = :true, heldReason = :reason',
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner, ':true': true, ':reason': reason },
          }),
        );
        pinned.push(target);
      } catch (err) {
        // The lease already expired and moved on: the new owner's change stands.
        if (!isConditionalCheckFailed(err)) throw err;
      }
    }
    return pinned;
  }

  /**
   * The operator's way out of ROLLBACK_FAILED (`changeflow unlock`): removes whatever lease is on
   * the target and records who did it and why in the owner change's audit trail.
   */
  async function forceUnlock(target: string, by: string, reason: string): Promise<ForcedUnlock> {
    const key = parseTargetRef(target).key;
    const previous = await get(key);
    if (!previous) return { released: false };
    try {
      await ctx.client.send(
        new DeleteCommand({
          TableName: ctx.tableName,
          Key: keys.lock(key),
          // Only the lease we looked at: a change that took the target a moment ago keeps it.
          ConditionExpression: '#owner = :owner AND acquiredAt = :acquiredAt',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': previous.owner, ':acquiredAt': previous.acquiredAt },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return { released: false, previous: await get(key) };
    }
    const change = await changes.get(previous.owner);
    const event = await audit.appendEvent({
      changeId: previous.owner,
      type: 'lock.released.forced',
      status: change?.status,
      actor: by,
      detail: { target: key, reason, held: previous.held, heldReason: previous.heldReason, expiresAt: new Date(previous.expiresAt).toISOString() },
    });
    return { released: true, previous, event };
  }

  async function get(target: string): Promise<Lease | undefined> {
    const out = await ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: keys.lock(parseTargetRef(target).key), ConsistentRead: true }),
    );
    return out.Item ? Lease.parse(out.Item) : undefined;
  }

  async function releaseQuietly(targets: string[], owner: string): Promise<void> {
    for (const target of targets) {
      try {
        await release([target], owner);
      } catch (err) {
        // Rolling back a partial acquisition: a lease we cannot give back simply expires.
        if (!(err instanceof NotLeaseOwner || err instanceof LockHeld)) throw err;
      }
    }
  }

  return { acquire, heartbeat, release, hold, forceUnlock, get };
}

export type LockStore = ReturnType<typeof createLockStore>;
