import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countCommands, type CommandCounter } from '../../local/dynamo/command-counter.js';
import { startDynalite } from '../../local/dynamo/dynalite.js';
import { ensureTable } from '../../local/dynamo/ensure-table.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly raw: DynamoDBClient;
  readonly client: DynamoDBDocumentClient;
  /** Requests sent through `client`/`raw`, by command name. */
  readonly commands: CommandCounter;
  close(): Promise<void>;
}

/** One dynalite per test file on a free port, with the changeflow table created from the shared definition. */
export async function startTestTable(options: { tableName?: string; dataDir?: string } = {}): Promise<TestTable> {
  const dynamo = await startDynalite({ dataDir: options.dataDir });
  const tableName = options.tableName ?? 'changeflow';
  const raw = localClient(dynamo.endpoint);
  await ensureTable(raw, tableName);
  const commands = countCommands(raw);
  const client = DynamoDBDocumentClient.from(raw);
  return {
    endpoint: dynamo.endpoint,
    tableName,
    raw,
    client,
    commands,
    close: async () => {
      raw.destroy();
      await dynamo.close();
    },
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}
