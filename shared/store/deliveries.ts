import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import * as z from '../zod.js';
import { ChangeId, ChangeSource } from './change-record.js';
import { StoredItemInvalid } from './errors.js';
import { dayOf, keys } from './keys.js';
import { withoutUndefined, type StoreContext } from './store-context.js';
import { tableDefinition } from './table.js';
import { parseInput } from './validate.js';
import { queryItems } from './query-pages.js';

// Webhook dedupe (docs/architecture.md §2 step 1): the delivery key, made from signed content only
// (ServiceNow sys_id + sys_mod_count, Jira issue id + changelog id), is claimed with one write —
// an UpdateItem that sets the change id only if none is set and returns what was there — so the
// first delivery wins, and every retry learns the change id and what became of it without a
// second call. The claim also counts the deliveries of its key: the audit of retries.
export const DeliveryKey = z.string().check(z.minLength(1), z.maxLength(512));

/** What became of a claimed delivery; `claimed` alone means its start has not been settled yet. */
export const ClaimOutcome = z.enum(['claimed', 'started', 'duplicate', 'refused', 'start-failed']);
export type ClaimOutcome = z.infer<typeof ClaimOutcome>;

export type DeliveryClaim = { first: true } | { first: false; changeId: string; outcome: ClaimOutcome; deliveries: number };

/** A claim whose delivery already started its change (or was answered duplicate): nothing to do. */
export function isSettledStart(claim: DeliveryClaim): boolean {
  return !claim.first && (claim.outcome === 'started' || claim.outcome === 'duplicate');
}

const StoredClaim = z.looseObject({ changeId: ChangeId, outcome: z.catch(ClaimOutcome, 'claimed'), deliveries: z.catch(z.int(), 1) });

export const DeliveryOutcome = z.object({
  key: DeliveryKey,
  source: ChangeSource,
  outcome: z.enum(['started', 'duplicate', 'ignored', 'refused']),
  reason: z.optional(z.string()),
  changeId: z.optional(ChangeId),
  at: z.iso.datetime({ offset: true }),
});
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;
export const NewDeliveryOutcome = z.omit(DeliveryOutcome, { at: true });
export type NewDeliveryOutcome = z.input<typeof NewDeliveryOutcome>;

export function createDeliveryStore(ctx: StoreContext) {
  async function claimDelivery(key: string, changeId: string): Promise<DeliveryClaim> {
    parseInput(DeliveryKey, key, 'delivery key');
    parseInput(ChangeId, changeId, 'change id');
    const at = ctx.now().toISOString();
    const out = await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: keys.deliveryClaim(key),
        UpdateExpression:
          'SET #key = if_not_exists(#key, :key), changeId = if_not_exists(changeId, :changeId), outcome = if_not_exists(outcome, :claimed), claimedAt = if_not_exists(claimedAt, :at), lastAt = :at ADD deliveries :one',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':key': key, ':changeId': changeId, ':claimed': 'claimed', ':at': at, ':one': 1 },
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (out.Attributes?.['changeId'] === undefined) return { first: true };
    const old = StoredClaim.safeParse(out.Attributes);
    if (!old.success) throw new StoredItemInvalid(keys.deliveryClaim(key).pk, 'the claim has no valid changeId');
    // The count returned is from before this delivery; say how many there have been with it.
    return { first: false, changeId: old.data.changeId, outcome: old.data.outcome, deliveries: old.data.deliveries + 1 };
  }

  /** Records what became of a claimed delivery, so its retries answer without redoing the work. */
  async function settleDelivery(key: string, settled: { outcome: Exclude<ClaimOutcome, 'claimed'>; changeId?: string; reason?: string }): Promise<void> {
    parseInput(DeliveryKey, key, 'delivery key');
    if (settled.changeId !== undefined) parseInput(ChangeId, settled.changeId, 'change id');
    const sets = ['outcome = :outcome', 'settledAt = :at', ...(settled.changeId ? ['changeId = :changeId'] : []), ...(settled.reason ? ['reason = :reason'] : [])];
    await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: keys.deliveryClaim(key),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeValues: withoutUndefined({
          ':outcome': settled.outcome,
          ':at': ctx.now().toISOString(),
          ':changeId': settled.changeId,
          ':reason': settled.reason?.slice(0, 2000),
        }),
      }),
    );
  }

  /**
   * The intake's log of what it did with a delivery, listed per key and per day. Only for what the
   * audit needs: starts, refusals of signed deliveries, a sample of ignored ones — never one item
   * per unauthenticated or duplicate delivery (those are metrics and log lines).
   */
  async function recordDelivery(input: NewDeliveryOutcome): Promise<DeliveryOutcome> {
    const at = ctx.now().toISOString();
    const record = parseInput(DeliveryOutcome, { ...input, at }, 'delivery outcome');
    const nonce = randomUUID();
    await ctx.client.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: withoutUndefined({
          ...keys.deliveryOutcome(record.key, at, nonce),
          ...record,
          dayPk: keys.deliveryDayPk(dayOf(at)),
          timeSk: keys.timeSk(at, nonce),
        }),
      }),
    );
    return record;
  }

  async function listDeliveryOutcomes(key: string): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = [];
    for await (const item of queryItems(ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.deliveryPartition(key), ':prefix': 'OUTCOME#' },
    })) {
      outcomes.push(DeliveryOutcome.parse(item));
    }
    return outcomes;
  }

  /** Outcomes of one UTC day (YYYY-MM-DD), oldest first, through the overloaded byDay index. */
  async function listDeliveryOutcomesOfDay(day: string): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = [];
    for await (const item of queryItems(ctx, {
      IndexName: tableDefinition.indexes.byDay.name,
      KeyConditionExpression: 'dayPk = :day',
      ExpressionAttributeValues: { ':day': keys.deliveryDayPk(day) },
    })) {
      outcomes.push(DeliveryOutcome.parse(item));
    }
    return outcomes;
  }

  return { claimDelivery, settleDelivery, recordDelivery, listDeliveryOutcomes, listDeliveryOutcomesOfDay };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
