import middy from '@middy/core';
import { ValidateInput, validateRequest } from '../shared/workflow/steps/validate-request.js';
import { lambdaLogging, logger, tagChange } from './runtime/logger.js';
import { withRequesterDirectories } from './runtime/ticket-readers.js';
import { withTicketWriters } from './runtime/ticket-writers.js';
import { workflowDeps } from './runtime/workflow-deps.js';

// The workflow's first step: the execution input (webhook-normalised, console-pasted or CLI)
// is validated here like any other boundary.
export const handler = middy(async (event: unknown) => {
  const input = ValidateInput.parse(event);
  tagChange(logger, input.execution.name);
  return validateRequest(await withRequesterDirectories(await withTicketWriters(await workflowDeps())), input);
}).use(lambdaLogging(logger));
