import { TargetBusy, leaseTargetsOf } from '../../store/index.js';
import type { WorkflowDeps } from '../deps.js';
import { loadRequest } from '../documents.js';
import { nextState, type WorkflowState } from '../state.js';
import { releaseHeld } from './lock-release.js';

// Both targets (fabric and cluster) or neither, without deadlock: the targets are taken one by
// one in sorted order, and at the first busy one the change stops and waits in that target's
// queue (the next state, `Wait in the target queue`) holding only targets that sort before it.
// No change ever waits for a target sorting before one it holds, so no two changes can wait on
// each other in a cycle. The previous owner's release hands the lease over and wakes the wait;
// this step then runs again and walks on from there. A wait ends at the ticket window's end (or
// the configured longest wait): the change gives back what it holds and ends REJECTED:busy.
export async function acquireLocks(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { change } = state;
  const targets = leaseTargetsOf({ site: change.site, fabric: change.fabric, cluster: change.cluster });
  const held: string[] = [];
  for (const target of targets) {
    try {
      // A lease handed over to us reads as ours here: the put renews it.
      await deps.store.locks.acquire([target], change.changeId, deps.leaseTtlMs);
      held.push(target);
    } catch (err) {
      if (!(err instanceof TargetBusy)) throw err;
      return wait(deps, state, target, held, err);
    }
  }
  const waited = state.lockWait;
  await deps.store.audit.appendEvent({
    changeId: change.changeId,
    type: 'lock.acquired',
    actor: deps.actor,
    detail: {
      targets,
      ttlMs: deps.leaseTtlMs,
      ...(waited ? { waitedMs: deps.now().getTime() - Date.parse(waited.since), handedOverFrom: state.lockHandoff?.from ?? null } : {}),
    },
  });
  await deps.store.changes.updateStatus(change.changeId, 'PRECHECKING');
  return nextState(state, { locks: { targets }, lockWait: undefined, lockHandoff: undefined });
}

async function wait(deps: WorkflowDeps, state: WorkflowState, target: string, held: string[], busy: TargetBusy): Promise<WorkflowState> {
  const now = deps.now();
  const previous = state.lockWait?.target === target ? state.lockWait : undefined;
  const since = previous?.since ?? now.toISOString();
  const until = previous?.until ?? (await waitBound(deps, state, now));
  const round = (previous?.round ?? 0) + 1;
  const locks = { targets: held };
  if (now.getTime() < Date.parse(until)) {
    return nextState(state, { locks, lockWait: { target, since, until, behind: busy.holder, round, gaveUp: false }, lockHandoff: undefined });
  }
  // The bound passed: say where it stood, leave the queue, and give back what it holds.
  const queues = deps.lockQueues?.queues;
  const standing = await queues?.standing(target, state.change.changeId);
  await queues?.leave({ target, since, changeId: state.change.changeId });
  const position = standing?.position ?? 1;
  const cause =
    `waited for ${target} from ${since} until ${until} (the end of the change window) and was still position ${position} ` +
    `in its queue, behind change ${busy.holder}; ${busy.message}`;
  await deps.store.audit.appendEvent({ changeId: state.change.changeId, type: 'lock.busy', actor: deps.actor, detail: { target, holder: busy.holder, position, since, until } });
  const afterRelease = await releaseHeld(deps, nextState(state, { locks }));
  return nextState(afterRelease, {
    lockWait: { target, since, until, behind: busy.holder, round, gaveUp: true },
    lockHandoff: undefined,
    error: { Error: busy.name, Cause: cause },
  });
}

async function waitBound(deps: WorkflowDeps, state: WorkflowState, now: Date): Promise<string> {
  const request = await loadRequest(deps, state);
  return request.window?.end ?? new Date(now.getTime() + deps.lockWaitMs).toISOString();
}
