import type { HandOver } from '../../store/index.js';
import type { WorkflowDeps } from '../deps.js';
import { nextState, type WorkflowState } from '../state.js';

// Gives back the leases a change holds. With a waker (every deployed stack has one) each lease
// goes straight to the head of its target's queue and that change is woken; the handoff is
// recorded in this change's trail (`lock.handed-over`), the receiver records `lock.acquired`.
export async function releaseHeld(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { change } = state;
  const targets = state.locks?.targets ?? [];
  if (targets.length === 0) return nextState(state, { locks: undefined });
  const handovers: HandOver[] = [];
  if (deps.lockQueues) {
    const { queues, waker } = deps.lockQueues;
    // Reverse order, like a plain release: the last taken goes first.
    for (const target of [...targets].sort().reverse()) handovers.push(await queues.handOver(target, change.changeId, deps.leaseTtlMs, waker));
  } else {
    await deps.store.locks.release(targets, change.changeId);
  }
  await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'lock.released', actor: deps.actor, detail: { targets } });
  for (const h of handovers.filter((h) => h.to !== undefined || h.skipped.length > 0)) {
    await deps.store.audit.appendEvent({
      changeId: change.changeId,
      type: 'lock.handed-over',
      actor: deps.actor,
      detail: { target: h.target, to: h.to?.changeId ?? null, handedAt: h.at ?? null, queuedSince: h.to?.since ?? null, skipped: h.skipped },
    });
  }
  return nextState(state, { locks: undefined });
}
