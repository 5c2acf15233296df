import { driftOfPlan } from '../../drift/report.js';
import type { WorkflowDeps } from '../deps.js';
import { loadPlan, loadRequest } from '../documents.js';
import type { WorkflowState } from '../state.js';

// A drift check that planned (docs/architecture.md §3.7): its plan against live facts is the drift.
// One event per target in the check's own chain — drift.detected with every differing object and
// the ChangeSpec that would restore the desired state, or drift.clear.

export async function recordDrift(deps: WorkflowDeps, state: WorkflowState): Promise<void> {
  const request = await loadRequest(deps, state);
  if (!request.drift || !state.plan) return;
  const plan = await loadPlan(deps, state);
  const { changeId, fabric, cluster } = state.change;
  for (const target of driftOfPlan(plan.ops.flatMap((op) => op.diff), { fabric, cluster })) {
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
}
