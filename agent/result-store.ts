import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AgentResultChunk } from '../shared/store/index.js';

// Where a result over the agent's inline limit goes (shared/store/agent-results.ts): the
// changeflow table, partition `RESULT#<changeId>`, which the agent's IAM policy lets it put and
// nothing else besides PROGRESS# (cdk/agent-policy.ts, docs/runbook.md §8). Chunks are written a
// few at a time; the reference is sent only after every one of them was written.

export interface ResultStore {
  put(items: readonly AgentResultChunk[]): Promise<void>;
}

export interface ResultStoreConfig {
  readonly tableName: string;
  readonly region: string;
  readonly endpoint?: string;
}

const writeConcurrency = 4;

export function dynamoResultStore(config: ResultStoreConfig, env: NodeJS.ProcessEnv = process.env): ResultStore {
  const local = config.endpoint !== undefined && /^https?:\/\/(localhost|127\.)/.test(config.endpoint) && !env['AWS_ACCESS_KEY_ID'];
  const client = new DynamoDBClient({ region: config.region, endpoint: config.endpoint, ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}) });
  return {
    async put(items) {
      for (let i = 0; i < items.length; i += writeConcurrency) {
        await Promise.all(
          items.slice(i, i + writeConcurrency).map((item) =>
            client.send(
              new PutItemCommand({
                TableName: config.tableName,
                Item: { pk: { S: item.pk }, sk: { S: item.sk }, index: { N: String(item.index) }, chunks: { N: String(item.chunks) }, data: { B: item.data } },
              }),
            ),
          ),
        );
      }
    },
  };
}
