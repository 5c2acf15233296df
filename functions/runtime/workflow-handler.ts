import middy from '@middy/core';
import type { WorkflowDeps } from '../../shared/workflow/deps.js';
import { StepInput, type WorkflowState } from '../../shared/workflow/state.js';
import { lambdaLogging, logger, tagChange } from './logger.js';
import { workflowDeps } from './workflow-deps.js';

// Every reducer step has the same shape: parse {state, step?}, run the step, return the next
// state. Errors keep their names so the workflow's Retry/Catch can match them.
export function reducerHandler(
  name: string,
  step: (deps: WorkflowDeps, state: WorkflowState, stepName: string) => Promise<WorkflowState>,
) {
  return middy(async (event: unknown): Promise<WorkflowState> => {
    const input = StepInput.parse(event);
    tagChange(logger, input.state.change.changeId);
    logger.info(`${name} started`, { step: input.step });
    return step(await workflowDeps(), input.state, input.step ?? name);
  }).use(lambdaLogging(logger));
}
