import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLockHandoff } from './lock-handoff.js';
import { createLockQueue } from './lock-queue.js';
import type { StoreContext } from './store-context.js';
import { defaultTableName } from './table.js';

// The targets' wait queues and the handoff, over the same table as the store but built apart
// from `createStore`: only the lock steps (and `changeflow unlock`) need them, so every other
// Lambda bundle stays without them.
export function createWaitQueues(options: { readonly client: DynamoDBDocumentClient; readonly tableName?: string; readonly now: () => Date }) {
  const ctx: StoreContext = { client: options.client, tableName: options.tableName ?? defaultTableName, now: options.now };
  const queue = createLockQueue(ctx);
  const handoff = createLockHandoff(ctx, queue);
  return { ...queue, handOver: handoff.handOver, kick: handoff.kick };
}

export type WaitQueues = ReturnType<typeof createWaitQueues>;
