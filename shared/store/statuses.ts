import * as z from '../zod.js';

export const ChangeStatus = z.enum([
  'RECEIVED',
  'PRECHECKING',
  'PLANNED',
  'AWAITING_APPROVAL',
  'APPLYING',
  'VERIFYING',
  'OBSERVING',
  'SUCCEEDED',
  'REJECTED',
  'FAILED',
  'ABORTED',
  'ROLLING_BACK',
  'ROLLED_BACK',
  'ROLLBACK_FAILED',
]);
export type ChangeStatus = z.infer<typeof ChangeStatus>;

// Once APPLYING has begun something may have been touched, so every failure from there on goes
// through ROLLING_BACK: APPLYING → FAILED is deliberately absent. PLANNED is where a plan-only
// change stops, yet an apply change moves on from it.
export const statusTransitions: Readonly<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  RECEIVED: ['PRECHECKING', 'REJECTED', 'FAILED', 'ABORTED'],
  PRECHECKING: ['PLANNED', 'REJECTED', 'FAILED', 'ABORTED'],
  PLANNED: ['AWAITING_APPROVAL', 'APPLYING', 'REJECTED', 'FAILED', 'ABORTED'],
  // Waiting for a person to approve the plan: nothing applied yet, the locks held.
  AWAITING_APPROVAL: ['APPLYING', 'REJECTED', 'FAILED', 'ABORTED'],
  APPLYING: ['VERIFYING', 'ROLLING_BACK'],
  VERIFYING: ['SUCCEEDED', 'OBSERVING', 'ROLLING_BACK'],
  // Verified, watching for a regression for verify.observeSeconds with the locks held.
  OBSERVING: ['SUCCEEDED', 'ROLLING_BACK'],
  ROLLING_BACK: ['ROLLED_BACK', 'ROLLBACK_FAILED'],
  SUCCEEDED: [],
  REJECTED: [],
  FAILED: [],
  ABORTED: [],
  ROLLED_BACK: [],
  ROLLBACK_FAILED: [],
};

export function canTransition(from: ChangeStatus, to: ChangeStatus): boolean {
  return statusTransitions[from].includes(to);
}

/** Terminal for this change: no transition left, or PLANNED for a plan-only change. */
export function isFinalStatus(status: ChangeStatus, mode: 'apply' | 'plan-only'): boolean {
  return statusTransitions[status].length === 0 || (status === 'PLANNED' && mode === 'plan-only');
}
