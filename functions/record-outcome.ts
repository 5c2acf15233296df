import { recordOutcome } from '../shared/workflow/steps/record-outcome.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('record-outcome', (deps, state) => recordOutcome(deps, state));
