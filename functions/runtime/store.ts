import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditAnchor } from '../../shared/anchor/anchor.js';
import { createStore, createWorkflowStore, type Store, type StoreOptions, type WorkflowStore } from '../../shared/store/index.js';
import { loadConfig, type RuntimeConfig } from './config.js';

const stores = new Map<string, Store>();
const workflowStores = new Map<string, WorkflowStore>();

/** How a handler that appends or verifies audit events finds its anchor (anchored-store.ts). */
export type AnchorFactory = (env: NodeJS.ProcessEnv, now: () => Date) => AuditAnchor | undefined;

/**
 * The store of this Lambda container, built on first use and reused across invocations; one per
 * table and endpoint, like the execution starter, so a second local stack in the same process
 * (tests) gets its own table instead of the first stack's closed endpoint. Handlers that neither
 * append nor verify audit events (intake, listings) take no anchor, and carry none of its code.
 */
export function storeFromEnv(anchorFactory?: AnchorFactory): Store {
  return cached(stores, createStore, anchorFactory);
}

/** The same for a workflow step: the store without the intake's deliveries, progress and exports (shared/store/store.ts). */
export function workflowStoreFromEnv(anchorFactory?: AnchorFactory): WorkflowStore {
  return cached(workflowStores, createWorkflowStore, anchorFactory);
}

function cached<S>(into: Map<string, S>, create: (options: StoreOptions) => S, anchorFactory?: AnchorFactory): S {
  const config = loadConfig();
  const anchorDir = anchorFactory ? `anchored ${process.env['CHANGEFLOW_ANCHOR_DIR'] ?? process.env['CHANGEFLOW_ANCHOR_BUCKET'] ?? ''}` : 'unanchored';
  const key = `${config.region} ${config.tableName} ${config.dynamodbEndpoint ?? ''} ${anchorDir}`;
  let store = into.get(key);
  if (!store) {
    store = create(storeOptionsFor(config, anchorFactory));
    into.set(key, store);
  }
  return store;
}

export function storeFor(config: RuntimeConfig, anchorFactory?: AnchorFactory, env: NodeJS.ProcessEnv = process.env): Store {
  return createStore(storeOptionsFor(config, anchorFactory, env));
}

function storeOptionsFor(config: RuntimeConfig, anchorFactory?: AnchorFactory, env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    // dynalite accepts any signature; on AWS the default chain provides real credentials.
    ...(config.dynamodbEndpoint && !process.env['AWS_ACCESS_KEY_ID']
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const now = () => new Date();
  return { client: DynamoDBDocumentClient.from(client), tableName: config.tableName, now, anchor: anchorFactory?.(env, now) };
}
