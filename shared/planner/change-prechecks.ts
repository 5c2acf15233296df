import { runAciPrechecks } from '../aci/prechecks/run-prechecks.js';
import { selectorMatches } from '../cilium/label-selector.js';
import { runClusterPrechecks } from '../cilium/prechecks/run-prechecks.js';
import type { Plan, PrecheckResult } from '../plan/index.js';
import type { ChangeSpec } from '../spec/index.js';
import type { ChangeFacts } from './change-facts.js';
import { planChange } from './plan-change.js';

// The prechecks of a whole change: the fabric's, then the cluster's. Missing facts make them
// `unknown`, which blocks apply, not a plan. Apart from plan-change.ts so the plan Lambda, which
// takes the precheck step's stored results, does not bundle the rules.

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

/** Prechecks, then the plan that embeds them: for callers with facts and nothing run yet (`plan --facts`, tests). */
export function planWithPrechecks(spec: ChangeSpec, facts: ChangeFacts): Plan {
  return planChange(spec, facts, runChangePrechecks(spec, facts));
}

/** May this change apply? No failed precheck, and in apply mode no unknown either. */
export function precheckAllows(prechecks: readonly PrecheckResult[], mode: 'apply' | 'plan-only'): boolean {
  if (prechecks.some((p) => p.verdict === 'fail')) return false;
  return mode === 'plan-only' || !prechecks.some((p) => p.verdict === 'unknown');
}
