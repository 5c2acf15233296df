import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditAnchor } from '../../shared/anchor/anchor.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { loadConfig, type RuntimeConfig } from './config.js';

const stores = new Map<string, Store>();

/** How a handler that appends or verifies audit events finds its anchor (anchored-store.ts). */
export type AnchorFactory = (env: NodeJS.ProcessEnv, now: () => Date) => AuditAnchor | undefined;

/**
 * The store of this Lambda container, built on first use and reused across invocations; one per
 * table and endpoint, like the execution starter, so a second local stack in the same process
 * (tests) gets its own table instead of the first stack's closed endpoint. Handlers that neither
 * append nor verify audit events (intake, listings) take no anchor, and carry none of its code.
 */
export function storeFromEnv(anchorFactory?: AnchorFactory): Store {
  const config = loadConfig();
  const anchorDir = anchorFactory ? `anchored ${process.env['CHANGEFLOW_ANCHOR_DIR'] ?? process.env['CHANGEFLOW_ANCHOR_BUCKET'] ?? ''}` : 'unanchored';
  const key = `${config.region} ${config.tableName} ${config.dynamodbEndpoint ?? ''} ${anchorDir}`;
  let store = stores.get(key);
  if (!store) {
    store = storeFor(config, anchorFactory);
    stores.set(key, store);
  }
  return store;
}

export function storeFor(config: RuntimeConfig, anchorFactory?: AnchorFactory, env: NodeJS.ProcessEnv = process.env): Store {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    // dynalite accepts any signature; on AWS the default chain provides real credentials.
    ...(config.dynamodbEndpoint && !process.env['AWS_ACCESS_KEY_ID']
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const now = () => new Date();
  return createStore({ client: DynamoDBDocumentClient.from(client), tableName: config.tableName, now, anchor: anchorFactory?.(env, now) });
}
