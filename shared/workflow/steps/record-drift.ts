import { driftOfPlan } from '../../drift/report.js';
import type { WorkflowDeps } from '../deps.js';
import { loadPlan, loadRequest } from '../documents.js';
import type { WorkflowState } from '../state.js';
import { writeNoteOn } from '../ticket-notes.js';

// A drift check that planned (docs/architecture.md §3.7): its plan against live facts is the drift.
// One event per target in the check's own chain — drift.detected with every differing object and
// the ChangeSpec that would restore the desired state, or drift.clear.

export async function recordDrift(deps: WorkflowDeps, state: WorkflowState): Promise<void> {
  const request = await loadRequest(deps, state);
  if (!request.drift || !state.plan) return;
  const plan = await loadPlan(deps, state);
  const { changeId, fabric, cluster } = state.change;
  const targets = driftOfPlan(plan.ops.flatMap((op) => op.diff), { fabric, cluster });
  for (const target of targets) {
    const found = target.drift.length > 0;
    await deps.store.audit.appendEvent({
      changeId,
      type: found ? 'drift.detected' : 'drift.clear',
      actor: deps.actor,
      detail: {
        target: target.target,
        drift: target.drift,
        inForce: request.drift.inForce,
        ...(found ? { restoreSpec: { ...request.spec, mode: 'apply' } } : {}),
      },
    });
  }
  if (deps.driftTicketNote && targets.some((t) => t.drift.length > 0)) await noteLastTicket(deps, changeId, request.drift.inForce, targets);
}

/** The work note on the ticket of the newest change in force: its owners see that the state they approved moved. */
async function noteLastTicket(deps: WorkflowDeps, changeId: string, inForce: readonly string[], targets: ReturnType<typeof driftOfPlan>): Promise<void> {
  const last = inForce.at(-1);
  const record = last ? await deps.store.changes.get(last) : undefined;
  if (!last || !record) return;
  await writeNoteOn(deps, changeId, record.ticket, { phase: 'drift', changeId, inForce: last, targets }, { on: last, ...(record.ticket.number ? { ticket: record.ticket.number } : {}) });
}
