import { recheckTicket } from '../shared/workflow/index.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('recheck-ticket', (deps, state) => recheckTicket(deps, state));
