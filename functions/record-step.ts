import { recordStep } from '../shared/workflow/index.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('record-step', (deps, state, step) => recordStep(deps, state, step));
