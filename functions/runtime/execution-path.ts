import { DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { WorkflowRun } from '../../shared/report/workflow-graph.js';
import type { ChangeLogger } from './logger.js';

// What the timeline page's workflow graph needs from Step Functions: the ASL the execution ran
// (DescribeStateMachineForExecution) and the states it entered and failed in (its history), as
// the console shows them. Locally SFN_ENDPOINT points at the embedded engine.

const failures = /(TaskFailed|TaskTimedOut|ActivityFailed|ActivityTimedOut|LambdaFunctionFailed|LambdaFunctionTimedOut|ExecutionFailed|ExecutionTimedOut)$/;

/** Which states were entered, in order, and in which a task failed. */
export function runOfHistory(events: readonly HistoryEvent[]): WorkflowRun {
  const entered: string[] = [];
  const failed = new Set<string>();
  for (const event of events) {
    const name = event.stateEnteredEventDetails?.name;
    if (event.type?.endsWith('StateEntered') && name) entered.push(name);
    else if (event.type && failures.test(event.type) && entered.length > 0) failed.add(entered.at(-1) as string);
  }
  return { entered, failed: [...failed] };
}

export async function executionWorkflow(
  executionArn: string,
  env: Record<string, string | undefined>,
  logger: ChangeLogger,
): Promise<{ definition: unknown; run: WorkflowRun } | undefined> {
  const endpoint = env['SFN_ENDPOINT'] || undefined;
  const client = new SFNClient({
    region: env['AWS_REGION'] ?? 'us-east-1',
    maxAttempts: 2,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  try {
    const machine = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken && events.length < 25_000);
    return { definition: machine.definition, run: runOfHistory(events) };
  } catch (err) {
    // The page is still worth showing without its graph; the reason goes to the log.
    logger.warn('workflow graph unavailable', { executionArn, error: err instanceof Error ? err.message : String(err) });
    return undefined;
  } finally {
    client.destroy();
  }
}
