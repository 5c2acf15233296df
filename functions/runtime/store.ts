import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStore, type Store } from '../../shared/store/index.js';
import { anchorFromEnv } from './audit-anchor.js';
import { loadConfig, type RuntimeConfig } from './config.js';

const stores = new Map<string, Store>();

/**
 * The store of this Lambda container, built on first use and reused across invocations; one per
 * table and endpoint, like the execution starter, so a second local stack in the same process
 * (tests) gets its own table instead of the first stack's closed endpoint.
 */
export function storeFromEnv(): Store {
  const config = loadConfig();
  const key = `${config.region} ${config.tableName} ${config.dynamodbEndpoint ?? ''} ${process.env['CHANGEFLOW_ANCHOR_DIR'] ?? ''}`;
  let store = stores.get(key);
  if (!store) {
    store = storeFor(config);
    stores.set(key, store);
  }
  return store;
}

/** The store over the configured table, anchoring every audit head where the environment says (audit-anchor.ts). */
export function storeFor(config: RuntimeConfig, env: NodeJS.ProcessEnv = process.env): Store {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    // dynalite accepts any signature; on AWS the default chain provides real credentials.
    ...(config.dynamodbEndpoint && !process.env['AWS_ACCESS_KEY_ID']
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const now = () => new Date();
  return createStore({ client: DynamoDBDocumentClient.from(client), tableName: config.tableName, now, anchor: anchorFromEnv({ env, now }) });
}
