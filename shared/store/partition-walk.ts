import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { canonicalHash } from '../canonical-json.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { StoreContext } from './store-context.js';
import { tableDefinition, type IndexName } from './table.js';

// A listing is a sequence of Query calls over one or more index partitions (one ticket key,
// one target, or one partition per day), always with a key condition — never a Scan. The
// cursor remembers which partition and where inside it to resume.
export interface Partition {
  readonly index: IndexName;
  readonly value: string;
}

export interface PartitionWalk {
  /** Partition number i of the walk, or undefined past the last one. */
  readonly partition: (i: number) => Partition | undefined;
  /** Inclusive bounds on the index sort key `timeSk`. */
  readonly range?: { from?: string; to?: string };
  readonly filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  readonly order: 'asc' | 'desc';
  /** Everything that shapes the result, so a cursor cannot be reused on another query. */
  readonly identity: unknown;
  /** Resolved bounds handed to the next page through the cursor. */
  readonly carry?: Record<string, string>;
}

export interface WalkPage {
  items: Record<string, unknown>[];
  nextCursor?: string;
}

export async function walkPage(
  ctx: StoreContext,
  walk: PartitionWalk,
  page: { limit: number; cursor?: string },
): Promise<WalkPage> {
  const fingerprint = canonicalHash({ identity: walk.identity, carry: walk.carry }).slice(0, 16);
  const start = page.cursor ? decodeCursor(page.cursor, fingerprint) : { partition: 0 };
  let partitionNo = start.partition;
  let startKey: Record<string, unknown> | undefined = start.startKey;
  const items: Record<string, unknown>[] = [];

  for (let part = walk.partition(partitionNo); part; ) {
    const remaining = page.limit - items.length;
    const out = await ctx.client.send(
      new QueryCommand(queryInput(ctx, walk, part, walk.filter ? Math.max(remaining, 100) : remaining, startKey)),
    );
    const found = out.Items ?? [];
    items.push(...found.slice(0, remaining));
    if (found.length > remaining) {
      // A filtered page returned more than we need: resume right after the last row we keep.
      const last = items[items.length - 1] as Record<string, unknown>;
      const startKey = keyOf(last, part.index);
      return { items, nextCursor: encodeCursor(fingerprint, { partition: partitionNo, startKey, carry: walk.carry }) };
    }
    if (out.LastEvaluatedKey) {
      startKey = out.LastEvaluatedKey;
    } else {
      partitionNo += 1;
      startKey = undefined;
      part = walk.partition(partitionNo);
    }
    if (items.length >= page.limit) {
      if (!part) return { items };
      return {
        items,
        nextCursor: encodeCursor(fingerprint, { partition: partitionNo, startKey: stringKey(startKey), carry: walk.carry }),
      };
    }
  }
  return { items };
}

/** Every item of the walk, fetched page by page: memory stays at one page. */
export async function* walkAll(ctx: StoreContext, walk: PartitionWalk, pageSize = 100): AsyncGenerator<Record<string, unknown>> {
  let cursor: string | undefined;
  do {
    const page = await walkPage(ctx, walk, { limit: pageSize, cursor });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

function queryInput(
  ctx: StoreContext,
  walk: PartitionWalk,
  part: Partition,
  limit: number,
  startKey: Record<string, unknown> | undefined,
): QueryCommandInput {
  const index = tableDefinition.indexes[part.index];
  const names: Record<string, string> = { '#pk': index.partitionKey, ...walk.filter?.names };
  const values: Record<string, unknown> = { ':pk': part.value, ...walk.filter?.values };
  let condition = '#pk = :pk';
  const { from, to } = walk.range ?? {};
  if (from !== undefined || to !== undefined) names['#sk'] = index.sortKey;
  if (from !== undefined && to !== undefined) {
    condition += ' AND #sk BETWEEN :from AND :to';
    Object.assign(values, { ':from': from, ':to': to });
  } else if (from !== undefined) {
    condition += ' AND #sk >= :from';
    values[':from'] = from;
  } else if (to !== undefined) {
    condition += ' AND #sk <= :to';
    values[':to'] = to;
  }
  return {
    TableName: ctx.tableName,
    IndexName: index.name,
    KeyConditionExpression: condition,
    FilterExpression: walk.filter?.expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: walk.order === 'asc',
    Limit: limit,
    ExclusiveStartKey: startKey,
  };
}

function keyOf(item: Record<string, unknown>, indexName: IndexName): Record<string, string> {
  const index = tableDefinition.indexes[indexName];
  const key: Record<string, string> = {};
  for (const attr of [tableDefinition.partitionKey, tableDefinition.sortKey, index.partitionKey, index.sortKey]) {
    key[attr] = String(item[attr]);
  }
  return key;
}

function stringKey(key: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!key) return undefined;
  return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, String(v)]));
}
