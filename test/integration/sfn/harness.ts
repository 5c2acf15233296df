import {
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
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
  const machines = loadStackMachines(synthStack(buildSampleStack));
  const sfn = await startLocalSfn({ machines, activityPollMs: 500, log: () => undefined, ...options });
  const client = sfnClient(sfn.endpoint);
  return {
    sfn,
    client,
    machineArn: machines[0]!.arn,
    activityArn: machines[0]!.activities[0]!.arn,
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
