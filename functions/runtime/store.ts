import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStore, type Store } from '../../shared/store/index.js';
import { loadConfig, type RuntimeConfig } from './config.js';

let cached: Store | undefined;

/** The store of this Lambda container, built on first use and reused across invocations. */
export function storeFromEnv(): Store {
  cached ??= storeFor(loadConfig());
  return cached;
}

export function storeFor(config: RuntimeConfig): Store {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    // dynalite accepts any signature; on AWS the default chain provides real credentials.
    ...(config.dynamodbEndpoint && !process.env['AWS_ACCESS_KEY_ID']
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return createStore({ client: DynamoDBDocumentClient.from(client), tableName: config.tableName, now: () => new Date() });
}
