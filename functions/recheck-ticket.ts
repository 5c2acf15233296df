import { recheckTicket } from '../shared/workflow/steps/recheck-ticket.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('recheck-ticket', (deps, state) => recheckTicket(deps, state));
