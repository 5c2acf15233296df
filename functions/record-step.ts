import { recordStep } from '../shared/workflow/steps/record-step.js';
import { withTicketWriters } from './runtime/ticket-writers.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('record-step', async (deps, state, step) => recordStep(await withTicketWriters(deps), state, step));
