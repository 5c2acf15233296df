import { canonicalHash } from '../../canonical-json.js';
import { freezeInForce, freezePrecheck } from '../../control/freeze-gate.js';
import { summarisePrechecks } from '../../plan/index.js';
import { factsFromAgentResult } from '../../planner/change-facts.js';
import { precheckAllows, runChangePrechecks } from '../../planner/change-prechecks.js';
import type { WorkflowDeps } from '../deps.js';
import { loadAgentResult, loadRequest, type StoredFacts } from '../documents.js';
import { nextState, type WorkflowState } from '../state.js';

// Stores what the agent gathered (the state keeps only a reference) and runs every precheck.
// Nothing has been touched yet: a failure here ends REJECTED with each failed rule, its
// evidence and a fix hint. The ticket hears of the results from the next step that writes to it
// (the plan, or the outcome of a rejected change): this step writes nothing outside the store,
// so its Lambda carries no ticket writer.
export async function precheck(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const gathered = await loadAgentResult(deps, state);
  if (!gathered) throw new Error('precheck: no gather-facts answer in the state');
  const { changeId } = state.change;
  const request = await loadRequest(deps, state);
  const facts = factsFromAgentResult(gathered, request.spec);
  // A frozen target fails an apply change here; a plan-only change still plans and is told.
  const freeze = await freezeInForce(deps.store, state.change, deps.now());
  const blocksApply = freeze !== undefined && request.spec.mode === 'apply';
  const results = [...runChangePrechecks(request.spec, facts), ...(blocksApply ? [freezePrecheck(freeze)] : [])];
  // The results are stored with the facts they judged: the plan step embeds them as they are, and
  // a change they reject tells its ticket from them (record-outcome).
  const stored: StoredFacts = { gathered, prechecks: results };
  const ref = await deps.store.documents.putDocument(changeId, 'facts', stored);
  await deps.store.audit.appendEvent({
    changeId,
    type: 'facts.gathered',
    actor: gathered.agent.name,
    detail: {
      document: ref,
      summarised: gathered.summarised ?? null,
      aci: facts.aci ? { controllers: facts.aci.controllers?.length ?? 0, leaves: facts.aci.leaves?.length ?? 0, mos: Object.keys(facts.aci.mos).length } : null,
      cluster: facts.cluster ? { ciliumVersion: facts.cluster.ciliumVersion ?? null, nodes: facts.cluster.nodes?.length ?? 0, objects: Object.keys(facts.cluster.objects).length } : null,
    },
  });
  const summary = summarisePrechecks(results);
  // A drift check only compares: a rule the hand edits now break (a field another manager took
  // over) is part of what it reports, not a reason to stop before the plan that shows it.
  const allowed = request.drift !== undefined || precheckAllows(results, request.spec.mode);
  await deps.store.audit.appendEvent({
    changeId,
    type: summary.failed > 0 ? 'precheck.failed' : allowed ? 'precheck.passed' : 'precheck.unknown',
    status: 'PRECHECKING',
    actor: deps.actor,
    detail: { summary, results, ...(freeze ? { freeze } : {}) },
  });
  return nextState(state, {
    ...(freeze ? { freeze } : {}),
    facts: { ref, hash: canonicalHash(stored) },
    precheck: {
      verdict: summary.verdict,
      allowed,
      failed: results.filter((r) => r.verdict === 'fail').map((r) => r.id),
      unknown: results.filter((r) => r.verdict === 'unknown').map((r) => r.id),
    },
  });
}
