import { leaseTargetsOf } from '../../store/index.js';
import type { WorkflowDeps } from '../deps.js';
import { nextState, type WorkflowState } from '../state.js';
import { releaseHeld } from './lock-release.js';

// Releases this change's leases, and only its own, handing each to the head of its queue.
// ROLLBACK_FAILED keeps them: the store pinned them when the status was set, the queue waits,
// and only `changeflow unlock TARGET --reason` frees them (to the head of the queue).
export async function releaseLocks(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { change } = state;
  const targets = leaseTargetsOf({ site: change.site, fabric: change.fabric, cluster: change.cluster });
  if (state.outcome?.status === 'ROLLBACK_FAILED') {
    await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'lock.held', actor: deps.actor, detail: { targets, until: 'changeflow unlock' } });
    return nextState(state, {});
  }
  return releaseHeld(deps, state);
}
