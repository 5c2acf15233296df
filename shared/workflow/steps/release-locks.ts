import { leaseTargetsOf } from '../../store/index.js';
import type { WorkflowDeps } from '../deps.js';
import { nextState, type WorkflowState } from '../state.js';

// Releases this change's leases, and only its own. ROLLBACK_FAILED keeps them: the store pinned
// them when the status was set, and only `changeflow unlock TARGET --reason` frees them.
export async function releaseLocks(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { change } = state;
  const targets = leaseTargetsOf({ site: change.site, fabric: change.fabric, cluster: change.cluster });
  if (state.outcome?.status === 'ROLLBACK_FAILED') {
    await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'lock.held', actor: deps.actor, detail: { targets, until: 'changeflow unlock' } });
    return nextState(state, {});
  }
  if (!state.locks) return nextState(state, {});
  await deps.store.locks.release(state.locks.targets, change.changeId);
  await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'lock.released', actor: deps.actor, detail: { targets: state.locks.targets } });
  return nextState(state, { locks: undefined });
}
