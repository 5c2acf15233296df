import { randomUUID } from 'node:crypto';
import * as z from '../../shared/zod.js';
import type { ActivityQueues } from './activity-queue.js';
import { callbackOverride, type CallbackContext } from './callback-task.js';
import type { ExecutionHistory } from './history.js';
import { lambdaErrorCause, type LambdaRunner } from './lambda-runner.js';
import { publishAlert, type Alert, type DynamoIntegration } from './service-integrations.js';
import type { LocalLambdaDef } from './stack-machines.js';
import { findLambda, type TaskBinding } from './task-bindings.js';
import { afterStateEvents, taskEvents, type TaskEvents } from './task-events.js';
import { TaskFailure } from './task-failure.js';

// Turns each bound Task state into the interpreter's override for that state name: run the local
// implementation, record the task's history events, return what AWS would return.

export interface DispatchContext {
  executionArn: string;
  history: ExecutionHistory;
  region: string;
  lambdas: readonly LocalLambdaDef[];
  runner: LambdaRunner;
  activities: ActivityQueues;
  alerts: Alert[];
  log: (line: string) => void;
  dynamo?: DynamoIntegration;
  attempts: TaskAttempts;
  callbacks: CallbackContext;
}

/**
 * Open task attempts per state name. When the interpreter times a Task out (TimeoutSeconds) the
 * local function may still be running; its attempt is closed so a late result records nothing.
 */
export class TaskAttempts {
  private readonly open = new Map<string, Array<{ closed: boolean }>>();

  begin(stateName: string): { closed: boolean } {
    const attempt = { closed: false };
    const list = this.open.get(stateName) ?? [];
    list.push(attempt);
    this.open.set(stateName, list);
    return attempt;
  }

  end(stateName: string, attempt: { closed: boolean }): void {
    const list = this.open.get(stateName) ?? [];
    const index = list.indexOf(attempt);
    if (index >= 0) list.splice(index, 1);
  }

  /** Closes the oldest open attempt of the state; false when none was open. */
  abandonOldest(stateName: string): boolean {
    const attempt = this.open.get(stateName)?.shift();
    if (!attempt) return false;
    attempt.closed = true;
    return true;
  }
}

type Override = (input: unknown) => Promise<unknown>;

const LambdaInvokeParameters = z.looseObject({
  FunctionName: z.string(),
  Payload: z.optional(z.unknown()),
  InvocationType: z.optional(z.enum(['RequestResponse', 'Event', 'DryRun'])),
});


function sdkMetadata(): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    SdkHttpMetadata: { HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

async function recorded(events: TaskEvents, attempt: { closed: boolean }, input: unknown, work: () => Promise<unknown>): Promise<unknown> {
  events.scheduled(input);
  events.started();
  try {
    const output = await work();
    if (!attempt.closed) events.succeeded(output);
    return output;
  } catch (error) {
    const failure = error instanceof TaskFailure ? error : new TaskFailure('States.TaskFailed', JSON.stringify(lambdaErrorCause(error)));
    if (!attempt.closed) events.failed(failure.name, failure.message);
    throw failure;
  }
}

export function taskOverride(binding: TaskBinding, ctx: DispatchContext): Override {
  const events = taskEvents(binding, ctx.history, ctx.region);
  const attempted = async (input: unknown, work: () => Promise<unknown>): Promise<unknown> => {
    await afterStateEvents();
    const attempt = ctx.attempts.begin(binding.stateName);
    try {
      return await recorded(events, attempt, input, work);
    } finally {
      ctx.attempts.end(binding.stateName, attempt);
    }
  };
  switch (binding.kind) {
    case 'lambda-arn':
      return (input) => attempted(input, () => ctx.runner.invoke(binding.lambda, input));
    case 'lambda-invoke':
      return binding.callback ? callback(binding, events, ctx, (input) => invokeLambda(input, ctx)) : (input) => attempted(input, () => invokeLambda(input, ctx));
    case 'sns-publish': {
      const publish = async (input: unknown) => publishAlert(input, { executionArn: ctx.executionArn, stateName: binding.stateName }, ctx.alerts, ctx.log);
      return binding.callback ? callback(binding, events, ctx, publish) : (input) => attempted(input, () => publish(input));
    }
    case 'dynamodb':
      return (input) =>
        attempted(input, async () => {
          if (!ctx.dynamo) throw new TaskFailure('States.Runtime', 'no DynamoDB endpoint configured for the local runtime');
          return ctx.dynamo.call(binding.action, input);
        });
    case 'activity':
      return activityOverride(binding, events, ctx);
  }
}

function callback(binding: TaskBinding, events: TaskEvents, ctx: DispatchContext, call: (input: unknown) => Promise<unknown>): Override {
  const { TimeoutSeconds: timeoutSeconds, HeartbeatSeconds: heartbeatSeconds } = binding.state;
  return callbackOverride({ stateName: binding.stateName, timeoutSeconds, heartbeatSeconds }, events, ctx.callbacks, call);
}

/** lambda:invoke as the Lambda API answers it (Payload, StatusCode, SDK metadata). */
async function invokeLambda(input: unknown, ctx: DispatchContext): Promise<unknown> {
  const params = LambdaInvokeParameters.safeParse(input);
  if (!params.success) throw new TaskFailure('Lambda.InvalidRequestContentException', `lambda:invoke parameters: ${params.error.message}`);
  const fn = findLambda(ctx.lambdas, params.data.FunctionName);
  if (!fn) throw new TaskFailure('Lambda.ResourceNotFoundException', `Function not found: ${params.data.FunctionName}`);
  const payload = params.data.Payload ?? {};
  if (params.data.InvocationType === 'Event') {
    ctx.runner.invoke(fn, payload).catch((error: unknown) => ctx.log(`async invoke of ${fn.functionName} failed: ${String(error)}`));
    return { Payload: '', StatusCode: 202, ...sdkMetadata() };
  }
  if (params.data.InvocationType === 'DryRun') return { Payload: '', StatusCode: 204, ...sdkMetadata() };
  const result = await ctx.runner.invoke(fn, payload);
  return { ExecutedVersion: '$LATEST', Payload: result, ...sdkMetadata(), StatusCode: 200 };
}

function activityOverride(binding: Extract<TaskBinding, { kind: 'activity' }>, events: TaskEvents, ctx: DispatchContext): Override {
  const { TimeoutSeconds: timeoutSeconds, HeartbeatSeconds: heartbeatSeconds } = binding.state;
  return async (input) => {
    // The interpreter arms its States.Timeout timer right after calling us; the queue closes the
    // task a few ms before it fires so a late SendTaskSuccess cannot race the timeout.
    const deadline = timeoutSeconds !== undefined ? Date.now() + timeoutSeconds * 1000 - 10 : undefined;
    await afterStateEvents();
    events.scheduled(input);
    return ctx.activities.schedule({
      activityArn: binding.activityArn,
      executionArn: ctx.executionArn,
      input,
      heartbeatSeconds,
      timeoutSeconds,
      timeoutMs: deadline !== undefined ? Math.max(0, deadline - Date.now()) : undefined,
      events,
    });
  };
}
