import { isSignedStep, PROTOCOL, type AgentCommand, type AgentStep, type AgentTask, type RollbackTarget } from '../../agent-protocol/index.js';
import type { PlanOp } from '../../plan/index.js';
import type { ChangeRequest } from '../../spec/change-request.js';
import type { WorkflowDeps } from '../deps.js';
import { loadPlan, loadRequest } from '../documents.js';
import { nextState, type WorkflowState } from '../state.js';

// Builds the Activity task for one agent step from the stored request and plan. Apply steps
// record every op before it runs (its inverse is already in the plan), so that a crash midway
// still leaves a complete record of what may have been touched.

const agentSteps = ['gather-facts', 'snapshot', 'apply-aci', 'apply-cluster', 'verify', 'observe', 'rollback'] as const;

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
      // No `cilium status` run: the agents' readiness is read from ds/cilium and
      // deploy/cilium-operator, which the cluster side reads anyway (workload-readiness.ts).
      commands = [
        { type: 'aci.collect', fabric: change.fabric, spec: request.spec },
        { type: 'cluster.collect', cluster: change.cluster, spec: request.spec, ciliumStatus: false },
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
    case 'observe':
      commands = [{ type: 'verify', fabric: change.fabric, cluster: change.cluster, spec: request.spec, observe: true }];
      break;
    case 'rollback':
      commands = [{ type: 'rollback', fabric: change.fabric, cluster: change.cluster, ops: state.plan ? (await loadPlan(deps, state)).ops : [], undo: undoTargets(state) }];
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
    ...signatureFor(state, agentStep),
  };
  await deps.store.locks.heartbeat(state.locks?.targets ?? [], change.changeId, deps.leaseTtlMs);
  return { ...nextState(state, { progress }), task };
}

async function recordApplyStart(deps: WorkflowDeps, state: WorkflowState, step: 'apply-aci' | 'apply-cluster', ops: PlanOp[]): Promise<void> {
  const { changeId } = state.change;
  const current = await deps.store.changes.require(changeId);
  if (current.status === 'PLANNED' || current.status === 'AWAITING_APPROVAL') await deps.store.changes.updateStatus(changeId, 'APPLYING');
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

/** Targets whose apply began (the agent derives the inverse steps from the signed ops). */
function undoTargets(state: WorkflowState): RollbackTarget[] {
  return [...(state.progress.clusterApplyStarted ? ['kubernetes' as const] : []), ...(state.progress.aciApplyStarted ? ['apic' as const] : [])];
}

/** The plan step's signature for a step that writes; the agent refuses such a task without it. */
function signatureFor(state: WorkflowState, step: AgentStep): Pick<AgentTask, 'plan' | 'signature'> {
  const signing = state.plan?.signing;
  if (!isSignedStep(step) || !signing || !state.plan) return {};
  return { plan: { planHash: state.plan.planHash, notAfter: signing.notAfter, target: signing.target }, signature: signing.signatures[step] };
}
