import { prepareAgentTask } from '../shared/workflow/steps/prepare-agent-task.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('prepare-agent-task', (deps, state, step) => prepareAgentTask(deps, state, step));
