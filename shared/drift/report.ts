import * as z from '../zod.js';
import type { DiffLine } from '../plan/index.js';

// Drift as people read it (docs/architecture.md §3.7): each object that differs from the desired
// state, per target — APIC objects by DN and attribute, Kubernetes objects by
// apiVersion/kind/namespace/name and field path — with what was expected and what was found. It
// is the plan of the restore spec read the other way round: the plan's `to` is the expected
// value, its `from` what is there now.

export const DriftItem = z.strictObject({
  domain: z.enum(['aci', 'cluster']),
  ref: z.string(),
  path: z.string(),
  expected: z.string(),
  found: z.string(),
});
export type DriftItem = z.infer<typeof DriftItem>;

export const TargetDrift = z.strictObject({ target: z.string(), drift: z.array(DriftItem) });
export type TargetDrift = z.infer<typeof TargetDrift>;

export const DriftReport = z.strictObject({ targets: z.array(TargetDrift) });
export type DriftReport = z.infer<typeof DriftReport>;

function isApicRef(ref: string): boolean {
  return ref.startsWith('uni/') || ref.startsWith('topology/');
}

export function driftItem(line: DiffLine): DriftItem {
  const domain = isApicRef(line.ref) ? 'aci' : 'cluster';
  if (line.attribute === undefined) {
    return line.sign === '-'
      ? { domain, ref: line.ref, path: '', expected: 'absent', found: 'present' }
      : { domain, ref: line.ref, path: '', expected: 'present', found: line.sign === '+' ? 'absent' : 'different' };
  }
  return { domain, ref: line.ref, path: line.attribute, expected: line.to ?? '(unset)', found: line.from ?? '(unset)' };
}

/** The fabric's drift and the cluster's, in that order; an object that is wholly missing is one item, not one per attribute. */
export function driftOfPlan(diff: readonly DiffLine[], targets: { fabric: string; cluster: string }): TargetDrift[] {
  const missing = new Set(diff.filter((d) => d.sign === '+' && d.attribute === undefined).map((d) => d.ref));
  // A changed object's own line only heads its attribute lines: the attributes are the drift.
  const detailed = new Set(diff.filter((d) => d.attribute !== undefined).map((d) => d.ref));
  const items = diff
    .filter((d) => (d.attribute === undefined ? d.sign !== '~' || !detailed.has(d.ref) : !missing.has(d.ref)))
    .map(driftItem);
  return [
    { target: `fabric#${targets.fabric}`, drift: items.filter((i) => i.domain === 'aci') },
    { target: `cluster#${targets.cluster}`, drift: items.filter((i) => i.domain === 'cluster') },
  ];
}
