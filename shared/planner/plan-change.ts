import { emptyAciFacts } from '../aci/facts/aci-facts.js';
import { planAci } from '../aci/planner/plan-aci.js';
import { canonicalHash } from '../canonical-json.js';
import { emptyClusterFacts } from '../cilium/facts/cluster-facts.js';
import { planCluster } from '../cilium/plan/plan-cluster.js';
import { planHashOf, totalsOf, type Plan, type PlanOp, type PrecheckResult } from '../plan/index.js';
import type { ChangeSpec } from '../spec/index.js';
import type { ChangeFacts } from './change-facts.js';

// The plan of a whole change: the fabric first, then the cluster (docs/architecture.md §2 step 8).
// Missing facts draw it against an empty fabric or cluster, as `plan` with partial captures shows.

/**
 * The plan of a change, embedding the precheck results that ran on the same facts. The workflow's
 * plan step passes those the precheck step stored with the facts (the plan Lambda carries no
 * rules); `planWithPrechecks` runs them first, for callers that have not.
 */
export function planChange(spec: ChangeSpec, facts: ChangeFacts, prechecks: readonly PrecheckResult[]): Plan {
  const aciOps = planAci(spec, facts.aci ?? emptyAciFacts());
  const clusterOps = planCluster(spec, facts.cluster ?? emptyClusterFacts());
  const ops: PlanOp[] = [...aciOps, ...clusterOps];
  return {
    specHash: canonicalHash(spec),
    factsHash: canonicalHash(facts),
    prechecks: [...prechecks],
    ops,
    totals: totalsOf(ops),
    planHash: planHashOf(ops),
  };
}
