import { ChangeRequest } from '../spec/change-request.js';
import { Plan } from '../plan/plan.js';
import { PrecheckResult } from '../plan/precheck.js';
import type { WorkflowDeps } from './deps.js';
import type { WorkflowState } from './state.js';
import { AgentResult, AgentResultRef } from '../agent-protocol/index.js';
import { AgentResultRefused } from '../store/index.js';
import * as z from '../zod.js';

// Reading back what earlier steps stored; every document is validated again on the way in.

export async function loadRequest(deps: WorkflowDeps, state: WorkflowState): Promise<ChangeRequest> {
  return ChangeRequest.parse(await deps.store.documents.getDocument(state.change.requestRef));
}

export async function loadPlan(deps: WorkflowDeps, state: WorkflowState): Promise<Plan> {
  if (!state.plan) throw new Error('no plan in the workflow state: the plan step has not run');
  return Plan.parse(await deps.store.documents.getDocument(state.plan.ref));
}

/**
 * What the precheck step stores: the agent's facts, and every precheck result it drew (the rules,
 * and the freeze rule of an apply change to a frozen target). The plan step embeds them in the plan
 * instead of running the rules again (the plan Lambda carries no rules); a change they rejected
 * tells its ticket from them. Both are read back under the hash the state keeps.
 */
export const StoredFacts = z.strictObject({ gathered: AgentResult, prechecks: z.array(PrecheckResult) });
export type StoredFacts = z.infer<typeof StoredFacts>;

export async function loadFacts(deps: WorkflowDeps, state: WorkflowState): Promise<StoredFacts> {
  if (!state.facts) throw new Error('no facts in the workflow state: gather-facts has not run');
  return StoredFacts.parse(await deps.store.documents.getDocument(state.facts.ref));
}

/**
 * The agent's answer to the step that just ran, read back from the store when the agent sent a
 * reference (a result over its inline limit): the store checks length and sha256, this checks
 * that it is a result of this change and this step — a stored result of another change or step
 * is refused like a rewritten one.
 */
export async function loadAgentResult(deps: Pick<WorkflowDeps, 'store'>, state: WorkflowState): Promise<AgentResult | undefined> {
  const answer = state.agentResult;
  if (answer === undefined) return undefined;
  const ref = AgentResultRef.safeParse(answer);
  if (!ref.success) return AgentResult.parse(answer);
  const { changeId, step } = ref.data.ref;
  if (changeId !== state.change.changeId) throw new AgentResultRefused(changeId, step, `it names change ${changeId}, this is ${state.change.changeId}`);
  const parsed = AgentResult.safeParse(await deps.store.agentResults.getAgentResult(ref.data));
  if (!parsed.success) throw new AgentResultRefused(changeId, step, `it is not an agent result (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  if (parsed.data.changeId !== changeId || parsed.data.step !== step) {
    throw new AgentResultRefused(changeId, step, `it is the ${parsed.data.step} result of change ${parsed.data.changeId}`);
  }
  return parsed.data;
}
