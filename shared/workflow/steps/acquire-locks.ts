import { TargetBusy, leaseTargetsOf } from '../../store/index.js';
import type { WorkflowDeps } from '../deps.js';
import { nextState, type WorkflowState } from '../state.js';

// Both targets (fabric and cluster) or neither: the store takes them in sorted order and gives
// back what it took if one is busy. A busy target throws TargetBusy, which the workflow retries
// a bounded number of times before ending REJECTED:busy.
export async function acquireLocks(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { change } = state;
  const targets = leaseTargetsOf({ site: change.site, fabric: change.fabric, cluster: change.cluster });
  try {
    await deps.store.locks.acquire(targets, change.changeId, deps.leaseTtlMs);
  } catch (err) {
    if (err instanceof TargetBusy) {
      await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'lock.busy', actor: deps.actor, detail: { targets, holder: err.holder, reason: err.message } });
    }
    throw err;
  }
  await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'lock.acquired', actor: deps.actor, detail: { targets, ttlMs: deps.leaseTtlMs } });
  await deps.store.changes.updateStatus(change.changeId, 'PRECHECKING');
  return nextState(state, { locks: { targets } });
}
