import { describeFreeze } from '../../control/freeze.js';
import { loadFacts } from '../documents.js';
import type { ChangeStatus } from '../../store/index.js';
import type { WorkflowDeps } from '../deps.js';
import { nextState, Outcome, type WorkflowState } from '../state.js';
import { writePhaseNote } from '../ticket-notes.js';
import { causeText } from './record-step.js';
import { recordDrift } from './record-drift.js';

// The one place a change reaches its final status. The reason names what ended it: the failed
// precheck rules, the busy target, the error caught, or "verified".

export async function recordOutcome(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const outcome = Outcome.parse(state.outcome);
  const { changeId } = state.change;
  const reason = reasonOf(state, outcome);
  const current = await deps.store.changes.require(changeId);
  const status = outcome.status as ChangeStatus;
  if (current.status !== status) {
    // Ending in ROLLED_BACK or ROLLBACK_FAILED always passes through ROLLING_BACK, even when the
    // step that records the rollback start was the one that failed.
    if ((status === 'ROLLED_BACK' || status === 'ROLLBACK_FAILED') && (current.status === 'APPLYING' || current.status === 'VERIFYING' || current.status === 'OBSERVING')) {
      await deps.store.changes.updateStatus(changeId, 'ROLLING_BACK');
    }
    await deps.store.changes.updateStatus(changeId, status, { outcome: { reason: reason.slice(0, 1000) } });
  }
  if (status === 'PLANNED') await recordDrift(deps, state);
  const type = `change.${status.toLowerCase().replace(/_/g, '-')}`;
  await deps.store.audit.appendEvent({
    changeId,
    type,
    status,
    actor: deps.actor,
    detail: { reason, error: state.error ?? null, rollbackError: state.rollbackError ?? null, precheck: state.precheck ?? null, plan: state.plan ?? null },
  });
  if (status === 'FAILED') await writePhaseNote(deps, state.change, { phase: 'failed', changeId, reason: reason.slice(0, 500), step: state.error?.Error });
  if (status === 'REJECTED' && outcome.reason === 'precheck') {
    // The precheck step writes nothing to the ticket; a change it rejected never planned, so its
    // results (the failed rules with evidence and fix) are told here, as the plan tells a passed one.
    const { prechecks } = await loadFacts(deps, state);
    await writePhaseNote(deps, state.change, { phase: 'precheck', changeId, results: prechecks });
  }
  if (status === 'REJECTED' && outcome.reason !== 'precheck') {
    await writePhaseNote(deps, state.change, { phase: 'failed', changeId, reason: `rejected: ${reason.slice(0, 500)}` });
  }
  if (status === 'ABORTED') {
    const { abort } = await deps.store.control.get(changeId);
    await writePhaseNote(deps, state.change, { phase: 'aborted', changeId, by: abort?.by ?? 'unknown', reason: abort?.reason ?? reason });
  }
  if (status === 'ROLLBACK_FAILED') {
    await writePhaseNote(deps, state.change, { phase: 'rolledBack', changeId, reason: reason.slice(0, 500), failedStep: state.error?.Error, verified: false });
  }
  return nextState(state, { outcome: { status: outcome.status, reason } });
}

function reasonOf(state: WorkflowState, outcome: Outcome): string {
  switch (outcome.reason) {
    case 'precheck':
      if (state.freeze && state.precheck?.failed.includes('change.freeze')) return `frozen: ${describeFreeze(state.freeze)}`;
      return `precheck: ${[...(state.precheck?.failed ?? []).map((id) => `${id} failed`), ...(state.precheck?.unknown ?? []).map((id) => `${id} unknown`)].join(', ') || 'not allowed'}`;
    case 'aborted':
    case 'approval timed out':
      return causeText(state.error?.Cause) || outcome.reason;
    case 'busy':
    case 'recheck':
    case 'error before apply':
      return `${outcome.reason}: ${causeText(state.error?.Cause) || state.error?.Error || 'no detail'}`;
    case 'rolled back':
      if (state.error?.Error === 'ChangeAborted') return `${causeText(state.error.Cause)}; rolled back`;
      return `rolled back after ${state.error?.Error ?? 'a failure'}: ${causeText(state.error?.Cause)}`;
    case 'rollback failed':
      return `rollback failed (${state.rollbackError?.Error ?? 'error'}: ${causeText(state.rollbackError?.Cause)}) after ${state.error?.Error ?? 'a failure'}`;
    case 'verified':
      return state.observe?.done ? `verified, then observed ${state.observe.seconds} s (${state.observe.checks} checks) without a regression` : outcome.reason;
    case 'plan-only':
      return state.freeze ? `plan-only; the apply would be blocked: ${describeFreeze(state.freeze)}` : outcome.reason;
    default:
      return outcome.reason;
  }
}
