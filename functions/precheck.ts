import { precheck } from '../shared/workflow/steps/precheck.js';
import { reducerHandler } from './runtime/workflow-handler.js';

export const handler = reducerHandler('precheck', (deps, state) => precheck(deps, state));
