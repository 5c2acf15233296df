import * as z from 'zod';
import { canonicalHash } from '../canonical-json.js';
import { PlanOp } from './plan-op.js';
import { PrecheckResult } from './precheck.js';

// A plan: the ordered ops for both targets plus the prechecks that allowed it. Its hash covers
// the ops only, so re-planning against unchanged facts gives the same hash (DESIGN.md §2 step 6).

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

export function planHashOf(ops: ReadonlyArray<PlanOp>): string {
  return canonicalHash(ops);
}
