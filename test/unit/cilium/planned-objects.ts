import { parseClusterFacts, type ClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { objectsForChange } from '../../../shared/cilium/manifests/desired.js';
import { runClusterPrechecks } from '../../../shared/cilium/prechecks/run-prechecks.js';
import type { KubeObject, PlanOp, PrecheckResult } from '../../../shared/plan/index.js';
import { planWithPrechecks } from '../../../shared/planner/index.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { ChangeflowError } from '../../../shared/errors.js';
import { applyPlan } from './cluster-fixtures.js';

// Every Kubernetes object the real planner produces for a spec on a Cilium release, the way a
// change lives through it: the manifests of a plan against a cluster that has none of them
// (creates, with their inverses), the same spec planned again after a changed spec was applied
// (modifies, whose inverses carry the previous values), and the removal (`absent`) of each
// change (the objects it names, and the re-creations its deletes' inverses hold). Used by the
// CRD-schema suite; the cluster is a Cilium install of that release with `config` in cilium-config.

export interface PlannedObject {
  /** Where the object came from: `create`, `inverse of modify`, `removal`, … */
  readonly origin: string;
  readonly object: KubeObject;
}

export interface PlannedRun {
  readonly objects: PlannedObject[];
  /** Prechecks of the spec itself (the present form) on that release. */
  readonly prechecks: PrecheckResult[];
  /** The planner refused to draw objects for this release (e.g. BGPv2 before 1.16). */
  readonly refused?: string;
}

/** Facts of a cluster running Cilium `release` with cilium-config `config` (as Helm wrote it). */
export function releaseFacts(release: string, config: Record<string, string>): ClusterFacts {
  return parseClusterFacts([
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium', namespace: 'kube-system' }, spec: { template: { spec: { containers: [{ name: 'cilium-agent', image: `quay.io/cilium/cilium:v${release}` }] } } } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace: 'kube-system', managedFields: [{ manager: 'helm', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': Object.fromEntries(Object.keys(config).map((k) => [`f:${k}`, {}])) } }] },
      data: config,
    },
  ]);
}

function manifestsOf(ops: PlanOp[], label: string): PlannedObject[] {
  const out: PlannedObject[] = [];
  for (const op of ops) {
    if (op.request.kind === 'kubernetes' && op.request.method === 'apply') out.push({ origin: `${label}: ${op.action}`, object: op.request.manifest });
    for (const inv of op.inverse) if (inv.kind === 'kubernetes' && inv.method === 'apply') out.push({ origin: `${label}: inverse of ${op.action}`, object: inv.manifest });
  }
  return out;
}

function clusterOps(spec: ChangeSpec, facts: ClusterFacts): PlanOp[] {
  return planWithPrechecks(spec, { cluster: facts }).ops.filter((op) => op.target === 'kubernetes');
}

function absentForm(spec: ChangeSpec): ChangeSpec {
  return { ...spec, changes: spec.changes.filter((c) => c.type !== 'ciliumConfig').map((c) => ({ ...c, state: 'absent' as const })) } as ChangeSpec;
}

/**
 * Plans `spec` (and `before`, a variant applied first so that `spec` modifies it) on `release`.
 * A ChangeflowError from the planner is a refusal (the caller checks a precheck says why).
 */
export function plannedObjects(spec: ChangeSpec, release: string, config: Record<string, string>, before?: ChangeSpec): PlannedRun {
  const facts = releaseFacts(release, config);
  const prechecks = runClusterPrechecks(spec, facts);
  try {
    const objects: PlannedObject[] = spec.changes.flatMap((change) => objectsForChange(change, spec, release).map((object) => ({ origin: `desired by ${change.type}`, object })));
    objects.push(...manifestsOf(clusterOps(spec, facts), 'plan'));
    const start = before ? applyPlan(facts, clusterOps(before, facts)) : facts;
    objects.push(...manifestsOf(clusterOps(spec, start), before ? 'after a changed spec' : 'plan'));
    const applied = applyPlan(start, clusterOps(spec, start));
    const removal = absentForm(spec);
    for (const change of removal.changes) {
      for (const object of objectsForChange(change, removal, release)) objects.push({ origin: `removal: named by ${change.type}`, object });
    }
    objects.push(...manifestsOf(clusterOps(removal, applied), 'removal'));
    return { objects: dedupe(objects), prechecks };
  } catch (err) {
    if (err instanceof ChangeflowError) return { objects: [], prechecks, refused: err.message };
    throw err;
  }
}

function dedupe(objects: PlannedObject[]): PlannedObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = JSON.stringify(o.object);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
