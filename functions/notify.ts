import { notify } from '../shared/workflow/steps/notify.js';
import { withTicketWriters } from './runtime/ticket-writers.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('notify', async (deps, state) => notify(await withTicketWriters(deps), state));
