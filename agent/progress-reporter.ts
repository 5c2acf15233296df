import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AgentTask } from '../shared/agent-protocol/index.js';
import type { AgentLog } from './log.js';

// A running step's progress (the connectivity test: tests done of the total) written where
// `submit --wait` and `watch` read it: one item per change in the changeflow table, partition
// `PROGRESS#<changeId>` (shared/store/progress.ts; the bastion's IAM allows PutItem on those
// partitions only, docs/runbook.md §8). Step Functions' heartbeats carry no payload, so this is
// the agent's one way to say how far a long step has got. A write that fails is logged and
// dropped: progress never fails or slows a step.

export interface StepProgressReport {
  readonly what: string;
  readonly done: number;
  readonly total: number;
  readonly running?: string;
}

export interface ProgressReporter {
  report(task: AgentTask, progress: StepProgressReport): void;
}

export interface ProgressConfig {
  readonly tableName: string;
  readonly region: string;
  readonly endpoint?: string;
}

/** At most one write a second per change, except that a new count of tests done is always written. */
const minGapMs = 1000;

export function dynamoProgressReporter(config: ProgressConfig, log: AgentLog, env: NodeJS.ProcessEnv = process.env): ProgressReporter {
  const local = config.endpoint !== undefined && /^https?:\/\/(localhost|127\.)/.test(config.endpoint) && !env['AWS_ACCESS_KEY_ID'];
  const client = new DynamoDBClient({ region: config.region, endpoint: config.endpoint, ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}) });
  const last = new Map<string, { done: number; at: number }>();
  return {
    report(task, progress) {
      const now = Date.now();
      const before = last.get(task.changeId);
      if (before && before.done === progress.done && now - before.at < minGapMs) return;
      last.set(task.changeId, { done: progress.done, at: now });
      const item: Record<string, { S: string } | { N: string }> = {
        pk: { S: `PROGRESS#${task.changeId}` },
        sk: { S: 'STEP' },
        changeId: { S: task.changeId },
        step: { S: task.step },
        what: { S: progress.what },
        done: { N: String(progress.done) },
        total: { N: String(progress.total) },
        at: { S: new Date(now).toISOString() },
        ...(progress.running ? { running: { S: progress.running.slice(0, 256) } } : {}),
      };
      client.send(new PutItemCommand({ TableName: config.tableName, Item: item })).catch((err: Error) =>
        log.log('warn', 'progress not written', { changeId: task.changeId, step: task.step, error: err.name, message: err.message }),
      );
    },
  };
}
