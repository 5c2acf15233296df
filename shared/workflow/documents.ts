import { ChangeRequest } from '../spec/change-request.js';
import { Plan } from '../plan/plan.js';
import type { WorkflowDeps } from './deps.js';
import type { WorkflowState } from './state.js';
import { AgentResult } from '../agent-protocol/index.js';
import * as z from 'zod';

// Reading back what earlier steps stored; every document is validated again on the way in.

export async function loadRequest(deps: WorkflowDeps, state: WorkflowState): Promise<ChangeRequest> {
  return ChangeRequest.parse(await deps.store.documents.getDocument(state.change.requestRef));
}

export async function loadPlan(deps: WorkflowDeps, state: WorkflowState): Promise<Plan> {
  if (!state.plan) throw new Error('no plan in the workflow state: the plan step has not run');
  return Plan.parse(await deps.store.documents.getDocument(state.plan.ref));
}

export const StoredFacts = z.strictObject({ gathered: AgentResult });
export type StoredFacts = z.infer<typeof StoredFacts>;

export async function loadFacts(deps: WorkflowDeps, state: WorkflowState): Promise<StoredFacts> {
  if (!state.facts) throw new Error('no facts in the workflow state: gather-facts has not run');
  return StoredFacts.parse(await deps.store.documents.getDocument(state.facts.ref));
}
