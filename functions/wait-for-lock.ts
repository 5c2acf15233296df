import middy from '@middy/core';
import { WaitForLockInput, waitForLock } from '../shared/workflow/steps/wait-for-lock.js';
import { lambdaLogging, logger, tagChange } from './runtime/logger.js';
import { withLockQueues } from './runtime/lock-queues.js';
import { count, metricNames, metrics } from './runtime/metrics.js';
import { workflowDeps } from './runtime/workflow-deps.js';

// `.waitForTaskToken`: queues the change on its busy target with the task token; the answer
// comes later, from the release step of the change ahead (SendTaskSuccess).
export const handler = middy(async (event: unknown): Promise<{ queued: true }> => {
  const input = WaitForLockInput.parse(event);
  tagChange(logger, input.state.change.changeId);
  const wait = input.state.lockWait;
  logger.info('wait-for-lock started', { target: wait?.target, round: wait?.round });
  await waitForLock(withLockQueues(await workflowDeps()), input);
  // One wait per change and target (keys `fabric#…`, `cluster#…`): a wait slice that ends
  // re-arms the same wait (round > 1), which is not another wait.
  if (wait && wait.round <= 1) count(metrics, metricNames.lockWait, { target: /^(fabric|cluster)/.exec(wait.target)?.[1] ?? 'unknown' });
  return { queued: true };
}).use(lambdaLogging(logger));
