import { notify } from '../shared/workflow/steps/notify.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('notify', (deps, state) => notify(deps, state));
