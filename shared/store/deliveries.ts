import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { ChangeId, ChangeSource } from './change-record.js';
import { StoredItemInvalid } from './errors.js';
import { dayOf, keys } from './keys.js';
import { isConditionalCheckFailed, withoutUndefined, type StoreContext } from './store-context.js';
import { tableDefinition } from './table.js';
import { parseInput } from './validate.js';
import { queryItems } from './query-pages.js';

// Webhook dedupe (DESIGN.md §2 step 1): the delivery key (ServiceNow sys_id+sys_mod_count, Jira
// X-Atlassian-Webhook-Identifier) is claimed with a conditional put — the first delivery wins and
// every retry of it learns the change id the first one started.
export const DeliveryKey = z.string().min(1).max(512);

export type DeliveryClaim = { first: true } | { first: false; changeId: string };

export const DeliveryOutcome = z.object({
  key: DeliveryKey,
  source: ChangeSource,
  outcome: z.enum(['started', 'duplicate', 'ignored', 'refused']),
  reason: z.string().optional(),
  changeId: ChangeId.optional(),
  at: z.iso.datetime({ offset: true }),
});
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;
export const NewDeliveryOutcome = DeliveryOutcome.omit({ at: true });
export type NewDeliveryOutcome = z.input<typeof NewDeliveryOutcome>;

export function createDeliveryStore(ctx: StoreContext) {
  async function claimDelivery(key: string, changeId: string): Promise<DeliveryClaim> {
    parseInput(DeliveryKey, key, 'delivery key');
    parseInput(ChangeId, changeId, 'change id');
    try {
      await ctx.client.send(
        new PutCommand({
          TableName: ctx.tableName,
          Item: { ...keys.deliveryClaim(key), key, changeId, at: ctx.now().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { first: true };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const out = await ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: keys.deliveryClaim(key), ConsistentRead: true }),
    );
    const existing = out.Item?.['changeId'];
    if (typeof existing !== 'string') throw new StoredItemInvalid(keys.deliveryClaim(key).pk, 'the claim has no changeId');
    return { first: false, changeId: existing };
  }

  /** The intake's log of what it did with each delivery, listed per key and per day. */
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

  return { claimDelivery, recordDelivery, listDeliveryOutcomes, listDeliveryOutcomesOfDay };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
