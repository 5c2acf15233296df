import { plan } from '../shared/workflow/index.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('plan', (deps, state) => plan(deps, state));
