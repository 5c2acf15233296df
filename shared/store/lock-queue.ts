import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.js';
import { queueKeys as keys } from './keys.js';
import type { StoreContext } from './store-context.js';
import { parseTargetRef } from './targets.js';

// The wait queue of one target: changes that found it leased wait here with the task token of
// their `.waitForTaskToken` state, and the release step hands the lease to the head instead of
// letting waiters retry. Entries share the lease's partition and sort by the time the change
// first queued (ISO) and its id, so every target orders its waiters the same way and a change
// that re-arms its wait (a new token after its wait slice ended) keeps its place.

// Built on first use rather than at import: every Lambda imports the store, few use the queue,
// and a schema built at module level stays in every bundle.
const queueEntry = () =>
  z.object({
    target: z.string(),
    changeId: z.string(),
    executionArn: z.string(),
    token: z.string(),
    /** When the change first queued on this target (ISO); the FIFO order. */
    since: z.string(),
    /** Epoch ms when the token's task times out: after that nobody can wake it, so it is skipped. */
    tokenExpiresAt: z.number(),
  });
export type QueueEntry = z.infer<ReturnType<typeof queueEntry>>;

/** Where a change stands in a target's queue: 1 is next; `behind` is the lease owner now. */
export interface QueueStanding {
  readonly position: number;
  readonly waiting: number;
}

export function createLockQueue(ctx: StoreContext) {
  const QueueEntry = queueEntry();

  async function enqueue(entry: QueueEntry): Promise<void> {
    const target = parseTargetRef(entry.target).key;
    await ctx.client.send(
      new PutCommand({ TableName: ctx.tableName, Item: { ...keys.queueEntry(target, entry.since, entry.changeId), ...QueueEntry.parse({ ...entry, target }) } }),
    );
  }

  /** Every entry, oldest first, including ones whose token already expired. */
  async function entries(target: string): Promise<QueueEntry[]> {
    const key = parseTargetRef(target).key;
    const found: QueueEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ctx.client.send(
        new QueryCommand({
          TableName: ctx.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :queue)',
          ExpressionAttributeValues: { ':pk': keys.lockPartition(key), ':queue': keys.queuePrefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) found.push(QueueEntry.parse(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }

  /** Entries that can still be woken, oldest first; expired ones are removed on the way. */
  async function live(target: string): Promise<QueueEntry[]> {
    const now = ctx.now().getTime();
    const all = await entries(target);
    for (const entry of all.filter((e) => e.tokenExpiresAt <= now)) await leave(entry);
    return all.filter((e) => e.tokenExpiresAt > now);
  }

  async function leave(entry: Pick<QueueEntry, 'target' | 'since' | 'changeId'>): Promise<void> {
    await ctx.client.send(new DeleteCommand({ TableName: ctx.tableName, Key: keys.queueEntry(parseTargetRef(entry.target).key, entry.since, entry.changeId) }));
  }

  async function standing(target: string, changeId: string): Promise<QueueStanding | undefined> {
    const waiting = await live(target);
    const index = waiting.findIndex((e) => e.changeId === changeId);
    return index < 0 ? undefined : { position: index + 1, waiting: waiting.length };
  }

  return { enqueue, entries, live, leave, standing };
}

export type LockQueue = ReturnType<typeof createLockQueue>;
