import { emptyAciFacts } from '../aci/facts/aci-facts.js';
import { runAciPrechecks } from '../aci/prechecks/run-prechecks.js';
import { planAci } from '../aci/planner/plan-aci.js';
import { canonicalHash } from '../canonical-json.js';
import { emptyClusterFacts } from '../cilium/facts/cluster-facts.js';
import { selectorMatches } from '../cilium/label-selector.js';
import { planCluster } from '../cilium/plan/plan-cluster.js';
import { runClusterPrechecks } from '../cilium/prechecks/run-prechecks.js';
import { planHashOf, totalsOf, type Plan, type PlanOp, type PrecheckResult } from '../plan/index.js';
import type { ChangeSpec } from '../spec/index.js';
import type { ChangeFacts } from './change-facts.js';

// Prechecks and plan for a whole change: the fabric first, then the cluster (docs/architecture.md §2 step 8).
// Missing facts make prechecks `unknown` (which blocks apply, not a plan) and the plan is then
// drawn against an empty fabric or cluster, as `plan` with partial captures shows.

export function runChangePrechecks(spec: ChangeSpec, facts: ChangeFacts): PrecheckResult[] {
  // The fabric cannot know where the BGP nodes are: their addresses come from the cluster.
  const peering = spec.changes.find((c) => c.type === 'bgpPeering' && c.state === 'present');
  const nodeAddresses =
    peering?.type === 'bgpPeering'
      ? facts.cluster?.nodes
          ?.filter((n) => typeof n.internalIP === 'string' && selectorMatches({ matchLabels: peering.nodeSelector }, n.labels))
          .map((n) => ({ name: n.name, ip: n.internalIP ?? '' }))
      : undefined;
  return [...runAciPrechecks(spec, facts.aci, { nodeAddresses }), ...runClusterPrechecks(spec, facts.cluster)];
}

export function planChange(spec: ChangeSpec, facts: ChangeFacts): Plan {
  const prechecks = runChangePrechecks(spec, facts);
  const aciOps = planAci(spec, facts.aci ?? emptyAciFacts());
  const clusterOps = planCluster(spec, facts.cluster ?? emptyClusterFacts());
  const ops: PlanOp[] = [...aciOps, ...clusterOps];
  return {
    specHash: canonicalHash(spec),
    factsHash: canonicalHash(facts),
    prechecks,
    ops,
    totals: totalsOf(ops),
    planHash: planHashOf(ops),
  };
}

/** May this change apply? No failed precheck, and in apply mode no unknown either. */
export function precheckAllows(prechecks: readonly PrecheckResult[], mode: 'apply' | 'plan-only'): boolean {
  if (prechecks.some((p) => p.verdict === 'fail')) return false;
  return mode === 'plan-only' || !prechecks.some((p) => p.verdict === 'unknown');
}
