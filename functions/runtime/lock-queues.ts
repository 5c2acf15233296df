import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createWaitQueues } from '../../shared/store/index.js';
import type { WorkflowDeps } from '../../shared/workflow/deps.js';
import { loadConfig } from './config.js';
import { taskWakerFromEnv } from './task-waker.js';

// The wait queues and the waker for the three lock steps (acquire, wait, release), built once
// per container; kept out of workflow-deps.ts so the other steps' bundles do not carry them.

let cached: { key: string; value: NonNullable<WorkflowDeps['lockQueues']> } | undefined;

export function lockQueuesFromEnv(env: NodeJS.ProcessEnv = process.env): NonNullable<WorkflowDeps['lockQueues']> {
  const config = loadConfig(env);
  const key = `${config.region} ${config.tableName} ${config.dynamodbEndpoint ?? ''} ${env['SFN_ENDPOINT'] ?? ''}`;
  if (cached?.key !== key) {
    const client = new DynamoDBClient({
      region: config.region,
      endpoint: config.dynamodbEndpoint,
      ...(config.dynamodbEndpoint && !env['AWS_ACCESS_KEY_ID'] ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    const queues = createWaitQueues({ client: DynamoDBDocumentClient.from(client), tableName: config.tableName, now: () => new Date() });
    cached = { key, value: { queues, waker: taskWakerFromEnv(env) } };
  }
  return cached.value;
}

/** The workflow's dependencies plus the queues: what a lock step runs with. */
export function withLockQueues(deps: WorkflowDeps): WorkflowDeps {
  return { ...deps, lockQueues: lockQueuesFromEnv() };
}
