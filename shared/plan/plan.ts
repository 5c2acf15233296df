import * as z from '../zod.js';
import { canonicalHash } from '../canonical-json.js';
import { counted } from '../counted.js';
import { PlanOp, type DiffLine } from './plan-op.js';
import { PrecheckResult } from './precheck.js';

// A plan: the ordered ops for both targets plus the prechecks that allowed it. Its hash covers
// the ops only, so re-planning against unchanged facts gives the same hash (docs/architecture.md §2 step 6).

export const Plan = z.strictObject({
  specHash: z.string(),
  factsHash: z.string(),
  prechecks: z.array(PrecheckResult),
  ops: z.array(PlanOp),
  totals: z.strictObject({ create: z.number(), modify: z.number(), delete: z.number(), restart: z.number() }),
  planHash: z.string(),
});
export type Plan = z.infer<typeof Plan>;

export function totalsOf(ops: ReadonlyArray<PlanOp>): Plan['totals'] {
  const totals = { create: 0, modify: 0, delete: 0, restart: 0 };
  for (const op of ops) totals[op.action]++;
  return totals;
}

/** Objects, not ops: what a person counts in the diff (one op may create a whole subtree). */
export interface ObjectTotals {
  add: number;
  change: number;
  remove: number;
}

/** Distinct objects per sign; an object with changed attributes counts once. */
export function objectTotalsOf(diff: ReadonlyArray<DiffLine>): ObjectTotals {
  const objects = (sign: DiffLine['sign']) => new Set(diff.filter((d) => d.sign === sign && (sign === '~' || !d.attribute)).map((d) => d.ref)).size;
  return { add: objects('+'), change: objects('~'), remove: objects('-') };
}

/** The one totals line the CLI, the page and the ticket print: objects first, then the ops that carry them. */
export function formatPlanTotals(o: ObjectTotals, t: Plan['totals']): string {
  return `${counted(o.add, 'object')} to add, ${o.change} to change, ${o.remove} to destroy${t.restart ? `, ${t.restart} to restart` : ''} — ${formatOperations(t)}`;
}

/** `in 6 operations (5 create, 1 modify)`: the second half of the totals line (the page colours the first). */
export function formatOperations(t: Plan['totals']): string {
  const opCount = t.create + t.modify + t.delete + t.restart;
  const byAction = (['create', 'modify', 'delete', 'restart'] as const).filter((a) => t[a] > 0).map((a) => `${t[a]} ${a}`).join(', ');
  return `in ${opCount} operation${opCount === 1 ? '' : 's'}${byAction ? ` (${byAction})` : ''}`;
}

export function planTotalsLine(ops: ReadonlyArray<PlanOp>): string {
  // A restart is counted as a restart, not as a changed DaemonSet as well.
  return formatPlanTotals(objectTotalsOf(ops.filter((op) => op.action !== 'restart').flatMap((op) => op.diff)), totalsOf(ops));
}

export function planHashOf(ops: ReadonlyArray<PlanOp>): string {
  return canonicalHash(ops);
}
