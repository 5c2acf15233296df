import middy from '@middy/core';
import { RequestApprovalInput, requestApproval } from '../shared/workflow/steps/request-approval.js';
import { lambdaLogging, logger, tagChange } from './runtime/logger.js';
import { withTicketWriters } from './runtime/ticket-writers.js';
import { workflowDeps } from './runtime/workflow-deps.js';

// The Lambda behind the approval wait (`lambda:invoke.waitForTaskToken`): it gets {state, token},
// parks the wait on the token and returns; the task itself waits for the approve or abort route.
export const handler = middy(async (event: unknown): Promise<{ waiting: true }> => {
  const input = RequestApprovalInput.parse(event);
  tagChange(logger, input.state.change.changeId);
  logger.info('request-approval started');
  return requestApproval(await withTicketWriters(await workflowDeps()), input);
}).use(lambdaLogging(logger));
