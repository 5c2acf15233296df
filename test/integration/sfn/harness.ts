import {
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { App, Stack } from 'aws-cdk-lib';
import { loadStackMachines, startLocalSfn, synthStack, type LocalSfn, type StartLocalSfnOptions } from '../../../local/sfn/index.js';
import { buildSampleStack } from '../../fixtures/sfn/sample-stack.js';

// Shared by the local Step Functions integration tests: the sample stack served on a free port,
// and an SDK client pointed at it exactly as the agent and the webhook handler will be.

export interface SampleEndpoint {
  sfn: LocalSfn;
  client: SFNClient;
  machineArn: string;
  activityArn: string;
  close(): Promise<void>;
}

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: 'us-east-1', credentials: localCredentials, maxAttempts: 1 });
}

export async function startSample(options: Partial<StartLocalSfnOptions> = {}): Promise<SampleEndpoint> {
  return startStack(buildSampleStack, options);
}

/** Any fixture stack on a free port; `machineArn` is its first state machine. */
export async function startStack(build: (app: App) => Stack, options: Partial<StartLocalSfnOptions> = {}): Promise<SampleEndpoint> {
  const machines = loadStackMachines(synthStack(build));
  const sfn = await startLocalSfn({ machines, activityPollMs: 500, log: () => undefined, ...options });
  const client = sfnClient(sfn.endpoint);
  return {
    sfn,
    client,
    machineArn: machines[0]!.arn,
    activityArn: machines[0]!.activities[0]?.arn ?? '',
    close: async () => {
      client.destroy();
      await sfn.close();
    },
  };
}

export function sampleInput(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ticket: 'CHG0030001', mode: 'apply', items: [{ id: 'pool-red' }, { id: 'bgp' }], settleSeconds: 0, ...extra });
}

/** Polls DescribeExecution over the wire until the execution leaves RUNNING. */
export async function waitClosed(client: SFNClient, executionArn: string, timeoutMs = 15_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    if (Date.now() > deadline) throw new Error(`execution ${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until the activity hands out a task (the execution must reach its Activity state first). */
export async function takeTask(client: SFNClient, activityArn: string, workerName = 'test-worker'): Promise<{ taskToken: string; input: string }> {
  for (let i = 0; i < 20; i++) {
    const task = await client.send(new GetActivityTaskCommand({ activityArn, workerName }));
    if (task.taskToken) return { taskToken: task.taskToken, input: task.input ?? '' };
  }
  throw new Error(`no task on ${activityArn}`);
}

export async function historyOf(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    }
  }
  return undefined;
}

/** The AWS CLI (botocore, AWS JSON 1.0), the second real client of the local endpoint; undefined when not installed. */
export const awsCliPath = onPath('aws');

const run = promisify(execFile);

/** `aws stepfunctions ARGS` against `endpoint`, parsed JSON output ({} when the command prints nothing). */
export async function awsStepFunctions(endpoint: string, ...args: string[]): Promise<Record<string, unknown>> {
  if (!awsCliPath) throw new Error('the aws command is not on PATH');
  const { stdout } = await run(awsCliPath, ['stepfunctions', ...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_PAGER: '',
    },
    timeout: 30_000,
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}
