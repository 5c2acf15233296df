import { approvalFor } from '../../control/approval.js';
import { factsFromAgentResult } from '../../planner/change-facts.js';
import { planChange } from '../../planner/plan-change.js';
import { targetRef } from '../../store/targets.js';
import type { WorkflowDeps } from '../deps.js';
import { loadFacts, loadRequest } from '../documents.js';
import { signPlan } from '../plan-signatures.js';
import { nextState, type WorkflowState } from '../state.js';
import { writePhaseNote } from '../ticket-notes.js';

// Desired state minus current facts → ordered ops, each with its inverse, and a plan hash that
// the re-check compares just before applying.
export async function plan(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { changeId } = state.change;
  const request = await loadRequest(deps, state);
  // The prechecks ran in the precheck step, on these facts; the plan embeds their results.
  const { gathered, prechecks } = await loadFacts(deps, state);
  // The precheck step writes nothing to the ticket: its results go out here, before the plan's.
  await writePhaseNote(deps, state.change, { phase: 'precheck', changeId, results: prechecks });
  const planned = planChange(request.spec, factsFromAgentResult(gathered, request.spec), prechecks);
  // Sign before anything is recorded: a plan that cannot be signed can never be applied.
  const signing = state.change.mode === 'apply' ? await signPlan(deps.planSigning, state.change, planned, deps.now()) : undefined;
  const ref = await deps.store.documents.putDocument(changeId, 'plan', planned);
  const diff = planned.ops.flatMap((op) => op.diff);
  await deps.store.changes.updateStatus(changeId, 'PLANNED', { planHash: planned.planHash });
  await deps.store.audit.appendEvent({
    changeId,
    type: 'plan.created',
    status: 'PLANNED',
    actor: deps.actor,
    detail: {
      planHash: planned.planHash,
      totals: planned.totals,
      document: ref,
      ops: planned.ops.map((op) => ({ id: op.id, target: op.target, action: op.action, summary: op.summary })),
      diff,
      ...(signing ? { signedBy: signing.signatures['apply-aci'].keyId, notAfter: signing.notAfter } : {}),
    },
  });
  await writePhaseNote(deps, state.change, { phase: 'plan', changeId, planHash: planned.planHash, totals: planned.totals, diff });
  // A plan with nothing to apply has nothing to approve.
  const targets = [targetRef('fabric', state.change.fabric).key, targetRef('cluster', state.change.cluster).key];
  const approval =
    state.change.mode === 'apply' && planned.ops.length > 0 ? approvalFor(request.spec, targets, deps.approvalPolicy, request.window, deps.now(), deps.approvalMaxSeconds) : undefined;
  return nextState(state, { plan: { ref, planHash: planned.planHash, opCount: planned.ops.length, totals: planned.totals, signing }, ...(approval ? { approval } : {}) });
}
