import type { AgentResult, CommandResult, OpOutcome } from '../../agent-protocol/index.js';
import { throwIfAborted } from '../../control/abort.js';
import { ApplyFailed, RollbackFailed, VerificationFailed } from '../../errors.js';
import type { WorkflowDeps } from '../deps.js';
import { loadAgentResult } from '../documents.js';
import { nextState, type WorkflowState } from '../state.js';
import { writePhaseNote } from '../ticket-notes.js';
import { recordObservation, startObserving } from './observe.js';

// Records what an agent step did, op by op and check by check, then decides: a failed op or a
// read-back mismatch throws ApplyFailed, a failed or inconclusive check VerificationFailed, a
// failed rollback RollbackFailed, a regression while observing ObservationRegressed — each routed
// by the workflow's Catch.

export async function recordStep(deps: WorkflowDeps, state: WorkflowState, step: string): Promise<WorkflowState> {
  const { changeId } = state.change;
  await deps.store.locks.heartbeat(state.locks?.targets ?? [], changeId, deps.leaseTtlMs);
  if (step === 'rollback-started') return rollbackStarted(deps, state);
  const answer = await loadAgentResult(deps, state);
  // What the agent did is recorded first; an abort asked for meanwhile then ends the change
  // (ABORTED after the snapshot, a rollback after an apply or verify step).
  if (step !== 'rollback') {
    const next = await recordAnswer(deps, state, step, answer);
    await throwIfAborted(deps.store, changeId);
    return next;
  }
  return recordAnswer(deps, state, step, answer);
}

async function recordAnswer(deps: WorkflowDeps, state: WorkflowState, step: string, answer: AgentResult | undefined): Promise<WorkflowState> {
  const { changeId } = state.change;
  if (!answer) throw new Error(`record-step ${step}: no agent answer in the state`);
  const result = answer.results[0];
  if (!result) throw new Error(`record-step ${step}: the agent answered with no result`);
  switch (result.type) {
    case 'aci.snapshot':
      await append(deps, changeId, 'snapshot.created', answer, { dn: result.snapshotDn, fileName: result.fileName, ms: result.durationMs });
      return nextState(state, { snapshot: { dn: result.snapshotDn, fileName: result.fileName } });
    case 'aci.apply':
    case 'cluster.apply':
      return recordApply(deps, state, answer, result);
    case 'verify':
      if (step === 'observe') return recordObservation(deps, state, answer, result);
      return startObserving(deps, await recordVerify(deps, state, answer, result));
    case 'rollback':
      return recordRollback(deps, state, answer, result);
    default:
      throw new Error(`record-step ${step}: unexpected ${result.type} answer`);
  }
}

async function append(deps: WorkflowDeps, changeId: string, type: string, answer: AgentResult, detail: Record<string, unknown>) {
  return deps.store.audit.appendEvent({ changeId, type, actor: answer.agent.name, detail: { ...detail, summarised: answer.summarised ?? null } });
}

function failedOps(ops: readonly OpOutcome[]): OpOutcome[] {
  return ops.filter((o) => o.outcome === 'failed' || o.readback === 'mismatch');
}

async function recordApply(deps: WorkflowDeps, state: WorkflowState, answer: AgentResult, result: Extract<CommandResult, { type: 'aci.apply' | 'cluster.apply' }>) {
  const { changeId } = state.change;
  const prefix = result.type === 'aci.apply' ? 'apply.aci' : 'apply.cluster';
  for (const op of result.ops) await append(deps, changeId, `${prefix}.op`, answer, { ...op });
  const failed = failedOps(result.ops);
  if (!result.ok || failed.length > 0) {
    const first = failed[0];
    const why = first ? `${first.opId} ${first.outcome === 'failed' ? `failed: ${first.error ?? 'no detail'}` : 'did not read back as planned'}` : 'the agent reported failure';
    await append(deps, changeId, `${prefix}.failed`, answer, { failed: failed.map((o) => o.opId), reason: why });
    throw new ApplyFailed(`${prefix}: ${why}`);
  }
  await append(deps, changeId, `${prefix}.applied`, answer, { ops: result.ops.length, ms: sumMs(result.ops) });
  if (result.type === 'cluster.apply') {
    const aciOps = state.plan ? state.plan.opCount - result.ops.length : 0;
    await writePhaseNote(deps, state.change, { phase: 'applied', changeId, aciOps, clusterOps: result.ops.length, durationSeconds: sumMs(result.ops) / 1000 });
  }
  return nextState(state, {});
}

async function recordVerify(deps: WorkflowDeps, state: WorkflowState, answer: AgentResult, result: Extract<CommandResult, { type: 'verify' }>) {
  const { changeId } = state.change;
  for (const check of result.checks) {
    await append(deps, changeId, `verify.${check.id}`, answer, { verdict: check.verdict, evidence: check.evidence, ms: check.durationMs });
  }
  await writePhaseNote(deps, state.change, {
    phase: 'verified',
    changeId,
    checks: result.checks.map((c) => ({ name: c.id, verdict: c.verdict, detail: c.evidence.slice(0, 300) })),
  });
  // Inconclusive is failure: a change is only done when every check says pass.
  const notPassed = result.checks.filter((c) => c.verdict !== 'pass');
  if (!result.ok || notPassed.length > 0) {
    const reason = notPassed.map((c) => `${c.id}: ${c.verdict} (${c.evidence.slice(0, 200)})`).join('; ') || 'the agent reported failure';
    await append(deps, changeId, 'verify.failed', answer, { checks: notPassed.map((c) => c.id), reason });
    throw new VerificationFailed(reason);
  }
  await append(deps, changeId, 'verify.passed', answer, { checks: result.checks.length });
  return nextState(state, {});
}

async function rollbackStarted(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { changeId } = state.change;
  const current = await deps.store.changes.require(changeId);
  if (current.status !== 'ROLLING_BACK') await deps.store.changes.updateStatus(changeId, 'ROLLING_BACK');
  await deps.store.audit.appendEvent({
    changeId,
    type: 'rollback.started',
    status: 'ROLLING_BACK',
    actor: deps.actor,
    detail: { error: state.error?.Error ?? 'unknown', cause: causeText(state.error?.Cause), progress: state.progress },
  });
  return nextState(state, {});
}

async function recordRollback(deps: WorkflowDeps, state: WorkflowState, answer: AgentResult, result: Extract<CommandResult, { type: 'rollback' }>) {
  const { changeId } = state.change;
  for (const step of result.steps) await append(deps, changeId, 'rollback.op', answer, { ...step });
  const failed = failedOps(result.steps);
  const reason = causeText(state.error?.Cause) || state.error?.Error || 'unknown failure';
  if (!result.ok || failed.length > 0) {
    // The reason travels with the event, so the page and `audit show` say why, not only which.
    const why = failed.map((s) => `${s.opId} ${s.error ?? s.readback}`).join('; ') || 'the agent reported failure';
    await append(deps, changeId, 'rollback.failed', answer, { failed: failed.map((s) => s.opId), reason: `rollback did not complete: ${why}` });
    throw new RollbackFailed(`rollback did not complete: ${why}`);
  }
  await append(deps, changeId, 'rollback.verified', answer, { steps: result.steps.length });
  await writePhaseNote(deps, state.change, { phase: 'rolledBack', changeId, reason: reason.slice(0, 500), failedStep: state.error?.Error, verified: true });
  return nextState(state, {});
}

function sumMs(ops: readonly OpOutcome[]): number {
  return ops.reduce((total, op) => total + op.durationMs, 0);
}

/** Lambda errors arrive as JSON {errorType, errorMessage}; agent failures as plain text. */
export function causeText(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed) return String((parsed as { errorMessage: unknown }).errorMessage);
  } catch {
    return cause;
  }
  return cause;
}
