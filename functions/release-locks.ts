import { releaseLocks } from '../shared/workflow/steps/release-locks.js';
import { withLockQueues } from './runtime/lock-queues.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('release-locks', (deps, state) => releaseLocks(withLockQueues(deps), state));
