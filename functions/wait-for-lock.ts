import middy from '@middy/core';
import { WaitForLockInput, waitForLock } from '../shared/workflow/steps/wait-for-lock.js';
import { logContext, logger } from './runtime/logger.js';
import { withLockQueues } from './runtime/lock-queues.js';
import { workflowDeps } from './runtime/workflow-deps.js';

// `.waitForTaskToken`: queues the change on its busy target with the task token; the answer
// comes later, from the release step of the change ahead (SendTaskSuccess).
export const handler = middy(async (event: unknown): Promise<{ queued: true }> => {
  const input = WaitForLockInput.parse(event);
  logger.withChange(input.state.change.changeId);
  logger.info('wait-for-lock started', { target: input.state.lockWait?.target });
  await waitForLock(withLockQueues(await workflowDeps()), input);
  return { queued: true };
}).use(logContext(logger));
