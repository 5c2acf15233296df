import { recheckTicket } from '../shared/workflow/steps/recheck-ticket.js';
import { withTicketReaders } from './runtime/ticket-readers.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('recheck-ticket', async (deps, state) => recheckTicket(await withTicketReaders(deps), state));
