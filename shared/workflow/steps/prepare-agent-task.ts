import { aciCollectQueries } from '../../aci/facts/collect-queries.js';
import { PROTOCOL, type AgentCommand, type AgentStep, type AgentTask, type RollbackStep } from '../../agent-protocol/index.js';
import { clusterCollectQueries } from '../../cilium/facts/queries.js';
import type { PlanOp } from '../../plan/index.js';
import type { ChangeRequest } from '../../spec/change-request.js';
import type { WorkflowDeps } from '../deps.js';
import { loadPlan, loadRequest } from '../documents.js';
import { nextState, type WorkflowState } from '../state.js';

// Builds the Activity task for one agent step from the stored request and plan. Apply steps
// record every op before it runs (its inverse is already in the plan), so that a crash midway
// still leaves a complete record of what may have been touched.

const agentSteps = ['gather-facts', 'snapshot', 'apply-aci', 'apply-cluster', 'verify', 'rollback'] as const;

export async function prepareAgentTask(deps: WorkflowDeps, state: WorkflowState, step: string): Promise<WorkflowState> {
  if (!agentSteps.includes(step as AgentStep)) throw new Error(`prepare-agent-task: unknown step "${step}"`);
  const agentStep = step as AgentStep;
  const limits = deps.agentTiming[agentStep];
  const request = await loadRequest(deps, state);
  const { change } = state;
  let progress = state.progress;
  let commands: AgentCommand[];
  switch (agentStep) {
    case 'gather-facts':
      commands = [
        { type: 'aci.collect', fabric: change.fabric, queries: aciCollectQueries(request.spec) },
        { type: 'cluster.collect', cluster: change.cluster, queries: clusterCollectQueries(request.spec), ciliumStatus: true },
      ];
      break;
    case 'snapshot':
      commands = [{ type: 'aci.snapshot', fabric: change.fabric, policy: 'changeflow', waitSeconds: Math.max(10, Math.floor(limits.timeoutSeconds / 2)) }];
      break;
    case 'apply-aci':
    case 'apply-cluster': {
      const target = agentStep === 'apply-aci' ? 'apic' : 'kubernetes';
      const ops = (await loadPlan(deps, state)).ops.filter((op) => op.target === target);
      await recordApplyStart(deps, state, agentStep, ops);
      progress = agentStep === 'apply-aci' ? { ...progress, aciApplyStarted: true } : { ...progress, clusterApplyStarted: true };
      commands = [target === 'apic' ? { type: 'aci.apply', fabric: change.fabric, ops } : { type: 'cluster.apply', cluster: change.cluster, ops }];
      break;
    }
    case 'verify':
      await enterVerifying(deps, state);
      commands = [verifyCommand(request, change.fabric, change.cluster)];
      break;
    case 'rollback':
      commands = [{ type: 'rollback', fabric: change.fabric, cluster: change.cluster, steps: await rollbackSteps(deps, state) }];
      break;
  }
  const task: AgentTask = {
    protocol: PROTOCOL,
    changeId: change.changeId,
    site: change.site,
    step: agentStep,
    // The agent gives up a little before Step Functions would, so its own error explains why.
    deadlineSeconds: Math.max(5, limits.timeoutSeconds - Math.min(30, Math.ceil(limits.timeoutSeconds / 10))),
    heartbeatSeconds: limits.heartbeatSeconds,
    commands,
  };
  await deps.store.locks.heartbeat(state.locks?.targets ?? [], change.changeId, deps.leaseTtlMs);
  return { ...nextState(state, { progress }), task };
}

async function recordApplyStart(deps: WorkflowDeps, state: WorkflowState, step: 'apply-aci' | 'apply-cluster', ops: PlanOp[]): Promise<void> {
  const { changeId } = state.change;
  const current = await deps.store.changes.require(changeId);
  if (current.status === 'PLANNED') await deps.store.changes.updateStatus(changeId, 'APPLYING');
  const prefix = step === 'apply-aci' ? 'apply.aci' : 'apply.cluster';
  await deps.store.audit.appendEvent({ changeId, type: `${prefix}.started`, status: 'APPLYING', actor: deps.actor, detail: { ops: ops.map((o) => o.id) } });
  for (const op of ops) {
    await deps.store.audit.appendEvent({
      changeId,
      type: `${prefix}.op.before`,
      actor: deps.actor,
      detail: { opId: op.id, action: op.action, summary: op.summary, request: op.request, inverse: op.inverse },
    });
  }
}

async function enterVerifying(deps: WorkflowDeps, state: WorkflowState): Promise<void> {
  const { changeId } = state.change;
  const current = await deps.store.changes.require(changeId);
  // A plan with nothing to do goes straight to verification: walk the status through APPLYING.
  if (current.status === 'PLANNED') await deps.store.changes.updateStatus(changeId, 'APPLYING');
  if (current.status !== 'VERIFYING') await deps.store.changes.updateStatus(changeId, 'VERIFYING');
  await deps.store.audit.appendEvent({ changeId, type: 'verify.started', status: 'VERIFYING', actor: deps.actor, detail: {} });
}

export function verifyCommand(request: ChangeRequest, fabric: string, cluster: string): AgentCommand {
  return { type: 'verify', fabric, cluster, spec: request.spec };
}

/**
 * Inverse requests in execution order: cluster ops last-first, then APIC ops last-first, only for
 * targets whose apply began. Inverses are idempotent, so undoing an op that never ran is harmless.
 */
async function rollbackSteps(deps: WorkflowDeps, state: WorkflowState): Promise<RollbackStep[]> {
  if (!state.plan) return [];
  const plan = await loadPlan(deps, state);
  const undo = (target: 'apic' | 'kubernetes'): RollbackStep[] =>
    plan.ops
      .filter((op) => op.target === target)
      .reverse()
      .flatMap((op) => op.inverse.map((request, i) => ({ opId: op.id, target, request, readback: i === op.inverse.length - 1 ? op.inverseReadback : [] })));
  return [
    ...(state.progress.clusterApplyStarted ? undo('kubernetes') : []),
    ...(state.progress.aciApplyStarted ? undo('apic') : []),
  ];
}
