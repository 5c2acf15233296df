import type { AgentResult, CommandResult } from '../../agent-protocol/index.js';
import { observationWindow, type ObservationWindow } from '../../control/observation.js';
import { ObservationRegressed } from '../../errors.js';
import type { WorkflowDeps } from '../deps.js';
import { loadRequest } from '../documents.js';
import { nextState, type WorkflowState } from '../state.js';

// The observation window (docs/architecture.md §3.7). Verification passed: when the spec asks
// for a window the change turns OBSERVING (locks held, the ticket not closed yet) and the
// workflow loops Wait → observation check → here until the window's checks are done. A check
// that does not pass is a regression: the change rolls back like a failed verification, and the
// reason names the check and when it regressed.

/** After verification passed: open the window the spec asks for, or leave the state as it is. */
export async function startObserving(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const request = await loadRequest(deps, state);
  const window = observationWindow(request.spec.verify, deps.now());
  if (!window) return nextState(state, {});
  const { changeId } = state.change;
  await deps.store.changes.updateStatus(changeId, 'OBSERVING');
  await deps.store.audit.appendEvent({
    changeId,
    type: 'observe.started',
    status: 'OBSERVING',
    actor: deps.actor,
    detail: { seconds: window.seconds, intervalSeconds: window.intervalSeconds, checks: window.checks, until: window.until },
  });
  return nextState(state, { observe: window });
}

/** One observation check's answer: clean (next round, or the window is done) or a regression. */
export async function recordObservation(deps: WorkflowDeps, state: WorkflowState, answer: AgentResult, result: Extract<CommandResult, { type: 'verify' }>): Promise<WorkflowState> {
  const window = state.observe;
  if (!window) throw new Error('record-step observe: no observation window in the state');
  const { changeId } = state.change;
  const round = window.round + 1;
  const at = answer.finishedAt;
  const notPassed = result.checks.filter((c) => c.verdict !== 'pass');
  if (!result.ok || notPassed.length > 0) {
    const into = Math.max(0, Math.round((Date.parse(at) - Date.parse(window.startedAt)) / 1000));
    const what = notPassed.map((c) => `${c.id} ${c.verdict} (${c.evidence.slice(0, 200)})`).join('; ') || 'the agent reported failure';
    const reason = `${notPassed.map((c) => c.id).join(', ') || 'observation'} regressed at ${at}, ${into} s into the observation window (check ${round} of ${window.checks}): ${what}`;
    await deps.store.audit.appendEvent({
      changeId,
      type: 'observe.regressed',
      status: 'OBSERVING',
      actor: answer.agent.name,
      detail: { round, of: window.checks, at, secondsIntoWindow: into, checks: notPassed.map((c) => ({ id: c.id, verdict: c.verdict, evidence: c.evidence })), reason },
    });
    throw new ObservationRegressed(reason);
  }
  const next: ObservationWindow = { ...window, round, done: round >= window.checks };
  await deps.store.audit.appendEvent({
    changeId,
    type: next.done ? 'observe.passed' : 'observe.check',
    status: 'OBSERVING',
    actor: answer.agent.name,
    detail: { round, of: window.checks, checks: result.checks.map((c) => c.id), ...(next.done ? { seconds: window.seconds } : {}) },
  });
  return nextState(state, { observe: next });
}
