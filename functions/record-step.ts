import { recordStep } from '../shared/workflow/steps/record-step.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('record-step', (deps, state, step) => recordStep(deps, state, step));
