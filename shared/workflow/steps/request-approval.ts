import * as z from '../../zod.js';
import { approveCommand } from '../../control/approval.js';
import { throwIfAborted } from '../../control/abort.js';
import type { WorkflowDeps } from '../deps.js';
import { loadPlan } from '../documents.js';
import { WorkflowState } from '../state.js';
import { writePhaseNote } from '../ticket-notes.js';

// The approval wait (a `.waitForTaskToken` task, no polling): this step parks the wait on its task
// token, where the approve and abort routes find it. The wait runs in slices of fixed length
// (Step Functions timeouts are fixed per state), so it runs once per slice: the first run moves
// the change to AWAITING_APPROVAL, records approval.requested and asks on the ticket; every run
// stores the new token and renews the leases, which stay held for the whole wait.

export const RequestApprovalInput = z.strictObject({ state: WorkflowState, token: z.string().check(z.minLength(1)) });
export type RequestApprovalInput = z.infer<typeof RequestApprovalInput>;

export async function requestApproval(deps: WorkflowDeps, input: RequestApprovalInput): Promise<{ waiting: true }> {
  const { state, token } = input;
  const { changeId } = state.change;
  if (!state.approval || !state.plan) throw new Error('request-approval: the plan step did not ask for an approval');
  await throwIfAborted(deps.store, changeId);
  await deps.store.control.awaitApproval(changeId, token, state.plan.planHash);
  await deps.store.locks.heartbeat(state.locks?.targets ?? [], changeId, deps.leaseTtlMs);
  const current = await deps.store.changes.require(changeId);
  if (current.status === 'AWAITING_APPROVAL') return { waiting: true };
  await deps.store.changes.updateStatus(changeId, 'AWAITING_APPROVAL');
  const command = approveCommand(changeId, state.plan.planHash);
  await deps.store.audit.appendEvent({
    changeId,
    type: 'approval.requested',
    status: 'AWAITING_APPROVAL',
    actor: deps.actor,
    detail: { planHash: state.plan.planHash, source: state.approval.source, timeoutSeconds: state.approval.timeoutSeconds, deadline: state.approval.deadline, approveCommand: command },
  });
  const plan = await loadPlan(deps, state);
  await writePhaseNote(deps, state.change, {
    phase: 'approval',
    changeId,
    planHash: state.plan.planHash,
    deadline: state.approval.deadline,
    approveCommand: command,
    diff: plan.ops.flatMap((op) => op.diff),
  });
  return { waiting: true };
}
