import * as z from '../../zod.js';
import type { WorkflowDeps } from '../deps.js';
import { WorkflowState } from '../state.js';

// The `.waitForTaskToken` step of a change that found a target busy: put its task token in the
// target's queue and return; the workflow then waits until the previous owner's release hands
// the lease over and wakes the token (or the wait slice ends and `Acquire locks` re-arms it).
// Right after queuing it "kicks" the target: if the lease was freed while we queued, the head of
// the queue takes it now instead of sleeping on a free target.

export const WaitForLockInput = z.strictObject({
  state: WorkflowState,
  taskToken: z.string().check(z.minLength(1)),
  /** The wait state's TimeoutSeconds: after it the token cannot be woken, so the entry is stale. */
  waitSeconds: z.int().check(z.positive()),
});
export type WaitForLockInput = z.infer<typeof WaitForLockInput>;

export async function waitForLock(deps: WorkflowDeps, input: WaitForLockInput): Promise<void> {
  const { state, taskToken, waitSeconds } = input;
  const wait = state.lockWait;
  if (!wait) throw new Error('expected $.lockWait in the workflow state (set by Acquire locks), found none');
  if (!deps.lockQueues) throw new Error('expected the wait queues in the step dependencies, found none; build them with lockQueuesFromEnv');
  const { queues, waker } = deps.lockQueues;
  const { changeId, executionArn } = state.change;
  const now = deps.now();
  await queues.enqueue({ target: wait.target, changeId, executionArn, token: taskToken, since: wait.since, tokenExpiresAt: now.getTime() + waitSeconds * 1000 });
  const standing = await queues.standing(wait.target, changeId);
  await deps.store.audit.appendEvent({
    changeId,
    type: 'lock.queued',
    actor: deps.actor,
    detail: { target: wait.target, behind: wait.behind, position: standing?.position ?? 1, waiting: standing?.waiting ?? 1, since: wait.since, until: wait.until, round: wait.round },
  });
  await queues.kick(wait.target, deps.leaseTtlMs, waker);
}
