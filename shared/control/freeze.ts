import * as z from '../zod.js';

// The freeze calendar: while a freeze covers a target, no change is applied to it. A freeze
// names one fabric, one cluster, or every target ("*"); plan-only changes still run so people
// can prepare the change, and they are told the apply would be blocked.

export const FreezeTarget = z.string().check(z.regex(/^((fabric|cluster)#[A-Za-z0-9][A-Za-z0-9._-]{0,99}|\*)$/, 'a freeze target is fabric#NAME, cluster#NAME or *'));
export type FreezeTarget = z.infer<typeof FreezeTarget>;

const Iso = z.iso.datetime({ offset: true, message: 'an ISO 8601 time such as 2026-12-24T00:00:00Z' });

/** People type `fabric:dc1-aci` (a '#' needs escaping in shells and URLs); both are accepted. */
export function normaliseFreezeTarget(text: string): string {
  return text.trim().replace(/^(fabric|cluster)[:/]/, '$1#');
}

export const NewFreeze = z.strictObject({
    target: z.pipe(z.pipe(z.string(), z.transform(normaliseFreezeTarget)), FreezeTarget),
    from: Iso,
    to: Iso,
    reason: z.string().check(z.trim(), z.minLength(1, 'say why the target is frozen'), z.maxLength(500)),
    by: z.string().check(z.trim(), z.minLength(1, 'say who freezes it'), z.maxLength(200)),
  }).check(z.refine((f) => Date.parse(f.to) > Date.parse(f.from), { path: ['to'], message: 'the freeze must end after it starts' }));
export type NewFreeze = z.input<typeof NewFreeze>;

export const FreezeId = z.string().check(z.regex(/^frz-[0-9a-f]{12}$/, 'a freeze id looks like frz-0123456789ab'));

export const Freeze = z.strictObject({
  id: FreezeId,
  target: FreezeTarget,
  from: z.string(),
  to: z.string(),
  reason: z.string(),
  by: z.string(),
  createdAt: z.string(),
});
export type Freeze = z.infer<typeof Freeze>;

/** The freezes in force at `now` over any of `targets` (lease keys such as fabric#dc1-aci), latest end first. */
export function activeFreezes(freezes: readonly Freeze[], targets: readonly string[], now: Date): Freeze[] {
  const at = now.getTime();
  return freezes
    .filter((f) => (f.target === '*' || targets.includes(f.target)) && Date.parse(f.from) <= at && at < Date.parse(f.to))
    .sort((a, b) => Date.parse(b.to) - Date.parse(a.to) || a.id.localeCompare(b.id));
}

/** One line for reasons, notes and the timeline: what is frozen, until when, why and by whom. */
export function describeFreeze(freeze: Freeze): string {
  const what = freeze.target === '*' ? 'every target' : freeze.target;
  return `${what} is frozen until ${freeze.to} (${freeze.reason}; freeze ${freeze.id} by ${freeze.by})`;
}
