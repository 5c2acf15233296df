import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStore, type Store } from '../../shared/store/index.js';
import { loadConfig, type RuntimeConfig } from './config.js';

const stores = new Map<string, Store>();

/**
 * The store of this Lambda container, built on first use and reused across invocations; one per
 * table and endpoint, like the execution starter, so a second local stack in the same process
 * (tests) gets its own table instead of the first stack's closed endpoint.
 */
export function storeFromEnv(): Store {
  const config = loadConfig();
  const key = `${config.region} ${config.tableName} ${config.dynamodbEndpoint ?? ''}`;
  let store = stores.get(key);
  if (!store) {
    store = storeFor(config);
    stores.set(key, store);
  }
  return store;
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
