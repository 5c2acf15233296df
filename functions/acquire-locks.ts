import { acquireLocks } from '../shared/workflow/steps/acquire-locks.js';
import { withLockQueues } from './runtime/lock-queues.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('acquire-locks', (deps, state) => acquireLocks(withLockQueues(deps), state));
