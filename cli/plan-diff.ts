import * as z from '../shared/zod.js';
import { DiffLine } from '../shared/plan/plan-op.js';
import { formatPlanTotals, objectTotalsOf } from '../shared/plan/plan.js';

// The plan of a running change as the CLI prints it — terraform-style, the APIC's objects and
// the cluster's under their own heading — read from the `plan.created` event the page draws its
// Plan card from, so both show the same lines and the same totals.

export const PlanEventDetail = z.looseObject({
  planHash: z.string(),
  totals: z.object({ create: z.number(), modify: z.number(), delete: z.number(), restart: z.number() }),
  diff: z.array(DiffLine),
});
export type PlanEventDetail = z.infer<typeof PlanEventDetail>;

/** APIC objects are DNs (`uni/…`, `topology/…`); everything else is a Kubernetes object. */
export function isApicRef(ref: string): boolean {
  return ref.startsWith('uni/') || ref.startsWith('topology/');
}

function value(v: string | undefined): string {
  return v === undefined || v === '' ? '(unset)' : v;
}

/** One object per line, its attribute changes indented under it, like `terraform plan`. */
function objectLines(diff: readonly DiffLine[]): string[] {
  const out: string[] = [];
  let previousRef: string | undefined;
  for (const d of diff) {
    // An object whose first line is an attribute is being changed in place.
    if (d.ref !== previousRef) out.push(`${d.attribute === undefined ? d.sign : '~'} ${d.ref}`);
    previousRef = d.ref;
    if (d.attribute === undefined) continue;
    const change = d.sign === '~' ? `${value(d.from)} → ${value(d.to)}` : d.sign === '+' ? value(d.to) : value(d.from);
    out.push(`    ${d.sign} ${d.attribute}: ${change}`);
  }
  return out;
}

/** The lines of both domains and the one totals line (objects, then the operations carrying them). */
export function renderPlanDiff(plan: PlanEventDetail): string[] {
  const apic = plan.diff.filter((d) => isApicRef(d.ref));
  const cluster = plan.diff.filter((d) => !isApicRef(d.ref));
  const section = (title: string, lines: readonly DiffLine[]) => (lines.length === 0 ? [`${title}: no changes`] : [title, ...objectLines(lines).map((l) => `  ${l}`)]);
  return [
    ...section('APIC', apic),
    ...section('Cluster', cluster),
    `Plan: ${formatPlanTotals(objectTotalsOf(plan.diff), plan.totals)}.  (${plan.planHash.slice(0, 12)})`,
  ];
}
