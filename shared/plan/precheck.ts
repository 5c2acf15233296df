import * as z from '../zod.js';

// A precheck is data (STYLE.md): it can be logged, stored, shown in a ticket and diffed.
// `unknown` means the facts needed were missing: it blocks `apply`, not `plan`.

export const Verdict = z.enum(['pass', 'fail', 'unknown']);
export type Verdict = z.infer<typeof Verdict>;

export const PrecheckResult = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9]+(\.[a-z0-9-]+)+$/, 'dotted id such as aci.version.floating-svi')),
  scope: z.enum(['spec', 'aci', 'cluster']),
  title: z.string(),
  verdict: Verdict,
  evidence: z.string(),
  fix: z.optional(z.string()),
  /** Which change of the spec the rule was about, when it was about one. */
  change: z.optional(z.int().check(z.nonnegative())),
});
export type PrecheckResult = z.infer<typeof PrecheckResult>;

export interface PrecheckSummary {
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  readonly verdict: Verdict;
}

export function summarisePrechecks(results: ReadonlyArray<PrecheckResult>): PrecheckSummary {
  const failed = results.filter((r) => r.verdict === 'fail').length;
  const unknown = results.filter((r) => r.verdict === 'unknown').length;
  return {
    passed: results.length - failed - unknown,
    failed,
    unknown,
    verdict: failed > 0 ? 'fail' : unknown > 0 ? 'unknown' : 'pass',
  };
}
