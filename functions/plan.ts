import { plan } from '../shared/workflow/steps/plan.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('plan', (deps, state) => plan(deps, state));
