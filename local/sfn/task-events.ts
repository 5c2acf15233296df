import { jsonField, type ExecutionHistory } from './history.js';
import type { TaskBinding } from './task-bindings.js';

// The history events of one task attempt, named per resource family as on AWS:
// Task* for service integrations (lambda:invoke, sns, dynamodb), LambdaFunction* for a plain
// function ARN, Activity* for activities.
export interface TaskEvents {
  scheduled(input: unknown): void;
  started(workerName?: string): void;
  /** A callback task's call went through; it now waits for SendTaskSuccess / SendTaskFailure. */
  submitted(output: unknown): void;
  succeeded(output: unknown): void;
  failed(error: string, cause: string): void;
  timedOut(error: string, cause: string): void;
}

// The interpreter logs "state entered" on an async generator we read in microtasks; waiting one
// macrotask lets that event land in the history before the task's own events.
export const afterStateEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function taskEvents(binding: TaskBinding, history: ExecutionHistory, region: string): TaskEvents {
  const { stateName, state } = binding;
  const limits = {
    ...(state.TimeoutSeconds !== undefined ? { timeoutInSeconds: state.TimeoutSeconds } : {}),
    ...(state.HeartbeatSeconds !== undefined ? { heartbeatInSeconds: state.HeartbeatSeconds } : {}),
  };
  const record = (type: string, details?: Record<string, unknown>): void => void history.record(type, details, stateName);

  if (binding.kind === 'activity') {
    return {
      scheduled: (input) => record('ActivityScheduled', { resource: binding.activityArn, ...jsonField('input', input), ...limits }),
      started: (workerName) => record('ActivityStarted', { workerName: workerName ?? '' }),
      submitted: () => undefined,
      succeeded: (output) => record('ActivitySucceeded', jsonField('output', output)),
      failed: (error, cause) => record('ActivityFailed', { error, cause }),
      timedOut: (error, cause) => record('ActivityTimedOut', { error, cause }),
    };
  }
  if (binding.kind === 'lambda-arn') {
    return {
      scheduled: (input) => record('LambdaFunctionScheduled', { resource: binding.lambda.arn, ...jsonField('input', input), ...limits }),
      started: () => record('LambdaFunctionStarted'),
      submitted: () => undefined,
      succeeded: (output) => record('LambdaFunctionSucceeded', jsonField('output', output)),
      failed: (error, cause) => record('LambdaFunctionFailed', { error, cause }),
      timedOut: (error, cause) => record('LambdaFunctionTimedOut', { error, cause }),
    };
  }
  const [resourceType, action] =
    binding.kind === 'lambda-invoke' ? ['lambda', 'invoke'] : binding.kind === 'sns-publish' ? ['sns', 'publish'] : ['dynamodb', binding.action];
  // AWS names the pattern in `resource`: "invoke.waitForTaskToken".
  const callback = binding.kind !== 'dynamodb' && binding.callback;
  const id = { resourceType, resource: callback ? `${action}.waitForTaskToken` : action };
  return {
    scheduled: (input) => record('TaskScheduled', { ...id, region, parameters: JSON.stringify(input ?? null), ...limits }),
    started: () => record('TaskStarted', id),
    submitted: (output) => record('TaskSubmitted', { ...id, ...jsonField('output', output) }),
    succeeded: (output) => record('TaskSucceeded', { ...id, ...jsonField('output', output) }),
    failed: (error, cause) => record('TaskFailed', { ...id, error, cause }),
    timedOut: (error, cause) => record('TaskTimedOut', { ...id, error, cause }),
  };
}
