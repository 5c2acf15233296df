import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInput } from '../errors.js';
import { ChangePatch, ChangeRecord, NewChange } from './change-record.js';
import { changeWalk, needsFirstDay, type ChangeQuery } from './change-query.js';
import { cursorCarry } from './cursor.js';
import { ChangeAlreadyExists, ChangeNotFound, ConcurrentUpdate, InvalidTransition, StoredItemInvalid } from './errors.js';
import { dayOf, keys } from './keys.js';
import { walkAll, walkPage } from './partition-walk.js';
import { canTransition, statusTransitions, type ChangeStatus } from './statuses.js';
import { isConditionalCheckFailed, withoutUndefined, type StoreContext } from './store-context.js';
import { targetRef } from './targets.js';
import { parseInput } from './validate.js';

export interface ChangePage {
  changes: ChangeRecord[];
  nextCursor?: string;
}

const maxUpdateAttempts = 5;

export function createChangeStore(ctx: StoreContext) {
  async function get(changeId: string): Promise<ChangeRecord | undefined> {
    const out = await ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: keys.change(changeId), ConsistentRead: true }),
    );
    return out.Item ? parseChange(out.Item) : undefined;
  }

  async function require(changeId: string): Promise<ChangeRecord> {
    const change = await get(changeId);
    if (!change) throw new ChangeNotFound(changeId);
    return change;
  }

  /** Idempotent: creating the same change again (a retried step) returns the stored one. */
  async function create(input: NewChange): Promise<{ change: ChangeRecord; created: boolean }> {
    const fields = parseInput(NewChange, input, 'change');
    const at = ctx.now().toISOString();
    const change = ChangeRecord.parse({ ...fields, status: 'RECEIVED', createdAt: at, updatedAt: at });
    await widenFirstDay(dayOf(at));
    try {
      await ctx.client.send(
        new PutCommand({
          TableName: ctx.tableName,
          Item: changeItem(change),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { change, created: true };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const existing = await require(change.changeId);
    const same = (r: ChangeRecord) => JSON.stringify([r.ticket, r.targets, r.source, r.mode]);
    if (same(existing) !== same(change)) {
      throw new ChangeAlreadyExists(change.changeId, `ticket ${existing.ticket.key || 'none'} and other targets or mode`);
    }
    return { change: existing, created: false };
  }

  /**
   * Moves a change along the transition table. The write is conditional on the status we read,
   * so two writers cannot both move the same change; asking for the status it already has is a
   * no-op (a retried step) unless a patch comes along.
   */
  async function updateStatus(changeId: string, to: ChangeStatus, patch: ChangePatch = {}): Promise<ChangeRecord> {
    return write(changeId, to, parseInput(ChangePatch, patch, 'patch'));
  }

  /** Sets fields (execution ARN, plan hash, summary, outcome) without moving the status. */
  async function annotate(changeId: string, patch: ChangePatch): Promise<ChangeRecord> {
    return write(changeId, undefined, parseInput(ChangePatch, patch, 'patch'));
  }

  async function write(changeId: string, to: ChangeStatus | undefined, patch: ChangePatch): Promise<ChangeRecord> {
    for (let attempt = 1; attempt <= maxUpdateAttempts; attempt += 1) {
      const current = await require(changeId);
      const next = to ?? current.status;
      if (next !== current.status && !canTransition(current.status, next)) {
        throw new InvalidTransition(changeId, current.status, next, statusTransitions[current.status]);
      }
      const fields = withoutUndefined({ ...patch, status: next, updatedAt: ctx.now().toISOString() });
      if (next === current.status && Object.keys(patch).length === 0) return current;
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':from': current.status };
      const sets = Object.entries(fields).map(([name, value], i) => {
        names[`#f${i}`] = name;
        values[`:v${i}`] = value;
        return `#f${i} = :v${i}`;
      });
      try {
        const out = await ctx.client.send(
          new UpdateCommand({
            TableName: ctx.tableName,
            Key: keys.change(changeId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: '#status = :from',
            ExpressionAttributeNames: { ...names, '#status': 'status' },
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return parseChange(out.Attributes ?? {});
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
    }
    throw new ConcurrentUpdate(`change ${changeId}`, maxUpdateAttempts);
  }

  async function list(query: ChangeQuery, page: { limit?: number; cursor?: string } = {}): Promise<ChangePage> {
    const limit = page.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new InvalidInput(`expected a limit from 1 to 1000, found ${limit}`, [{ path: 'limit', message: '1–1000' }]);
    }
    const carried = page.cursor ? cursorCarry(page.cursor) : undefined;
    const bounds = carried?.now
      ? { now: carried.now, firstDay: carried.firstDay }
      : { now: ctx.now().toISOString(), firstDay: needsFirstDay(query) ? await firstDay() : undefined };
    const result = await walkPage(ctx, changeWalk(query, 'desc', bounds), { limit, cursor: page.cursor });
    return { changes: result.items.map(parseChange), nextCursor: result.nextCursor };
  }

  /** Every matching change, oldest first, one page in memory at a time (exports). */
  async function* iterate(query: ChangeQuery): AsyncGenerator<ChangeRecord> {
    const bounds = { now: ctx.now().toISOString(), firstDay: needsFirstDay(query) ? await firstDay() : undefined };
    for await (const item of walkAll(ctx, changeWalk(query, 'asc', bounds))) yield parseChange(item);
  }

  async function firstDay(): Promise<string | undefined> {
    const out = await ctx.client.send(new GetCommand({ TableName: ctx.tableName, Key: keys.bounds, ConsistentRead: true }));
    const day = out.Item?.['firstDay'];
    return typeof day === 'string' ? day : undefined;
  }

  // The day walk needs a lower bound when a listing gives no `since`; written before the change
  // so the bound can only be too early (harmless), never too late.
  async function widenFirstDay(day: string): Promise<void> {
    try {
      await ctx.client.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: keys.bounds,
          UpdateExpression: 'SET firstDay = :day',
          ConditionExpression: 'attribute_not_exists(firstDay) OR firstDay > :day',
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    } catch (err) {
      // The bound is already this day or earlier: nothing to widen.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  return { create, get, require, updateStatus, annotate, list, iterate };
}

export type ChangeStore = ReturnType<typeof createChangeStore>;

/** The stored form of a change record with its index attributes (bulk loaders write exactly this). */
export function changeItem(change: ChangeRecord): Record<string, unknown> {
  return withoutUndefined({ ...keys.change(change.changeId), ...change, ...indexAttributes(change) });
}

function indexAttributes(change: ChangeRecord): Record<string, string | undefined> {
  const timeSk = keys.timeSk(change.createdAt, change.changeId);
  return {
    ticketPk: ticketIndexKey(change),
    fabricPk: targetRef('fabric', change.targets.fabric).key,
    clusterPk: targetRef('cluster', change.targets.cluster).key,
    dayPk: keys.changeDayPk(dayOf(change.createdAt)),
    timeSk,
  };
}

// Operators look a ticket up by what they see (CHG0030001, OPS-12), so the index holds the
// ticket number when there is one (a ServiceNow key is a sys_id). Sparse: a change without a
// ticket is not listed under any, so manual changes do not pile into one hot partition.
function ticketIndexKey(change: ChangeRecord): string | undefined {
  const { system, number, key } = change.ticket;
  const value = number || key;
  return system === 'none' || !value ? undefined : keys.ticketPk(system, value);
}

export function parseChange(item: Record<string, unknown>): ChangeRecord {
  const parsed = ChangeRecord.safeParse(item);
  if (!parsed.success) throw new StoredItemInvalid(String(item['pk']), parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}
