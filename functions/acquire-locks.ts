import { acquireLocks } from '../shared/workflow/steps/acquire-locks.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('acquire-locks', (deps, state) => acquireLocks(deps, state));
