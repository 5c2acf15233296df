import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { AuditStore } from '../store/audit.js';
import { queryItems } from '../store/query-pages.js';
import { isConditionalCheckFailed, type StoreContext } from '../store/store-context.js';
import { parseInput } from '../store/validate.js';
import { FreezeNotFound } from './errors.js';
import { Freeze, NewFreeze } from './freeze.js';

// Freezes live in one partition (`FREEZE` / `FREEZE#<id>`): a calendar holds a handful, and a
// single Query reads them all (no Scan). Every add and remove is an event of the audit chain
// `freezeCalendarChain`, so who froze what and who lifted it is as provable as a change.

export const freezeCalendarChain = 'freeze-calendar';
const partition = 'FREEZE';

export function createFreezeStore(ctx: StoreContext, audit: AuditStore) {
  async function add(input: NewFreeze): Promise<Freeze> {
    const fields = parseInput(NewFreeze, input, 'freeze');
    const freeze: Freeze = {
      id: `frz-${randomBytes(6).toString('hex')}`,
      ...fields,
      from: new Date(fields.from).toISOString(),
      to: new Date(fields.to).toISOString(),
      createdAt: ctx.now().toISOString(),
    };
    await ctx.client.send(
      new PutCommand({ TableName: ctx.tableName, Item: { pk: partition, sk: `FREEZE#${freeze.id}`, ...freeze }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await audit.appendEvent({ changeId: freezeCalendarChain, type: 'freeze.added', actor: freeze.by, detail: { freeze } });
    return freeze;
  }

  async function list(): Promise<Freeze[]> {
    const out: Freeze[] = [];
    for await (const item of queryItems(ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': 'FREEZE#' },
      ConsistentRead: true,
    })) {
      const { pk: _pk, sk: _sk, ...fields } = item;
      out.push(Freeze.parse(fields));
    }
    return out.sort((a, b) => a.from.localeCompare(b.from) || a.id.localeCompare(b.id));
  }

  async function remove(id: string, by: string): Promise<Freeze> {
    const current = (await list()).find((f) => f.id === id);
    if (!current) throw new FreezeNotFound(id);
    try {
      await ctx.client.send(
        new DeleteCommand({ TableName: ctx.tableName, Key: { pk: partition, sk: `FREEZE#${id}` }, ConditionExpression: 'attribute_exists(pk)' }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new FreezeNotFound(id);
      throw err;
    }
    await audit.appendEvent({ changeId: freezeCalendarChain, type: 'freeze.removed', actor: by, detail: { freeze: current, removedBy: by } });
    return current;
  }

  return { add, list, remove };
}

export type FreezeStore = ReturnType<typeof createFreezeStore>;
