import { approvalSliceEnded } from '../shared/workflow/steps/approval-wait.js';
import { reducerHandler } from './runtime/workflow-handler.js';

// The workflow passes the slice length (its fixed TimeoutSeconds) as the step name, so the two
// cannot disagree.
export const handler = reducerHandler('approval-slice-ended', (deps, state, step) => approvalSliceEnded(deps, state, Number(step)));
