import { ApprovalTimedOut } from '../../control/errors.js';
import { throwIfAborted } from '../../control/abort.js';
import type { WorkflowDeps } from '../deps.js';
import { nextState, type WorkflowState } from '../state.js';

// One slice of the approval wait ended without an answer: take its length off what is left.
// An approval recorded while the slice was rolling over (its token already spent) is taken
// here; nothing left → REJECTED (approval timed out), the locks released by the ending.
export async function approvalSliceEnded(deps: WorkflowDeps, state: WorkflowState, sliceSeconds: number): Promise<WorkflowState> {
  const { changeId } = state.change;
  const wait = state.approval;
  if (!wait) throw new Error('approval-wait: no approval wait in the state');
  await throwIfAborted(deps.store, changeId);
  const { approval } = await deps.store.control.get(changeId);
  if (approval && approval.planHash === state.plan?.planHash) {
    return nextState(state, { error: undefined, approval: { ...wait, status: 'granted' }, approvalGrant: approval });
  }
  const remainingSeconds = wait.remainingSeconds - sliceSeconds;
  if (remainingSeconds <= 0) {
    await deps.store.audit.appendEvent({ changeId, type: 'approval.timed-out', actor: deps.actor, detail: { timeoutSeconds: wait.timeoutSeconds, deadline: wait.deadline } });
    throw new ApprovalTimedOut(`approval timed out: nobody approved plan ${state.plan?.planHash ?? ''} within ${Math.round(wait.timeoutSeconds / 60)} min (until ${wait.deadline})`);
  }
  return nextState(state, { error: undefined, approval: { ...wait, remainingSeconds } });
}
