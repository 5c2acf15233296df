import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableStatus,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../shared/store/table.js';
import { systemClock } from '../../shared/runtime/clock.js';

/** Creates the changeflow table from the shared definition unless it exists; waits until ACTIVE. */
export async function ensureTable(client: DynamoDBClient, tableName: string, options: { timeoutMs?: number } = {}): Promise<void> {
  if ((await tableStatus(client, tableName)) === undefined) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (err) {
      // Another process created it between our describe and create: wait for theirs.
      if (!(err instanceof Error && err.name === 'ResourceInUseException')) throw err;
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const status = await tableStatus(client, tableName);
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(`expected table ${tableName} to become ACTIVE, found ${status ?? 'no table'}; check the DynamoDB endpoint`);
    }
    await systemClock.sleep(100);
  }
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<TableStatus | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table?.TableStatus;
  } catch (err) {
    if (err instanceof Error && err.name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}
