// ACI software versions, after class `AciVersion` of Cisco's ACI-Pre-Upgrade-Validation-Script
// (reference/aci.md §3). APIC reads `6.0(2h)`; switches read `n9000-16.0(2h)`, which is the same
// release as APIC 6.0(2h), so switch versions are kept in APIC terms (major1 6, platform
// 'switch') and compare directly against APIC minimums such as the 6.1(2) feature gates.
import * as z from '../zod.js';

export const AciVersion = z.object({
  /** First digit in APIC terms: switch 16.x is stored as 6. */
  major1: z.int().check(z.gte(0), z.lte(9)),
  major2: z.int().check(z.gte(0)),
  maint: z.int().check(z.gte(0)),
  /** 'letter' for releases (`2h`) and for a bare `6.1(2)`; 'numeric' for QA builds (`7.123a`). */
  patchKind: z.enum(['letter', 'numeric']),
  patchNumber: z.optional(z.int().check(z.gte(0))),
  /** '' when absent: `6.1(2)` is the lowest patch of maintenance release 2. */
  patchLetter: z.string().check(z.regex(/^[a-z]?$/)),
  raw: z.string(),
  platform: z.enum(['apic', 'switch']),
});
export type AciVersion = z.infer<typeof AciVersion>;

// The script's regex, anchored, with an optional patch (gates are written as "6.1(2)") and a
// numeric patch only after a dot, so "6.0(23)" means maintenance 23 rather than 2 + QA patch 3.
const VERSION_PATTERN =
  /^(?:(?<prefix>[a-z][a-z0-9]*)-)?(?:dk9\.)?(?<switchOne>1)?(?<major1>\d)\.(?<major2>\d+)(?:\.|\()(?<maint>\d+)(?:\.(?<qaNumber>\d+)(?<qaLetter>[a-z]?)|(?<letter>[a-z]))?\)?$/;

const SWITCH_PREFIXES = new Set(['n9000', 'n9k']);

/** Parses an APIC, switch (`n9000-16.1(2f)`), peVer, QA or dotted version; undefined if it is none. */
export function parseAciVersion(text: string): AciVersion | undefined {
  const raw = text;
  const normalised = text.trim().toLowerCase();
  // The script's `\)?` also takes `6.1(2h`; a half-bracketed string is a typo, not a version.
  if (normalised.includes('(') !== normalised.endsWith(')')) return undefined;
  const match = VERSION_PATTERN.exec(normalised);
  const g = match?.groups;
  if (!g?.major1 || g.major2 === undefined || g.maint === undefined) return undefined;
  const prefix = g.prefix;
  if (prefix !== undefined && !SWITCH_PREFIXES.has(prefix)) return undefined;
  const platform = g.switchOne !== undefined || prefix !== undefined ? 'switch' : 'apic';
  const base = {
    major1: Number(g.major1),
    major2: Number(g.major2),
    maint: Number(g.maint),
    raw,
    platform,
  } as const;
  if (g.qaNumber !== undefined) {
    return { ...base, patchKind: 'numeric', patchNumber: Number(g.qaNumber), patchLetter: g.qaLetter ?? '' };
  }
  return { ...base, patchKind: 'letter', patchLetter: g.letter ?? '' };
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareLetters(a: string, b: string): -1 | 0 | 1 {
  // '' sorts first: a release without a patch letter is the oldest of its kind.
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Orders two versions by the rules of reference/aci.md §3; switch versions compare in APIC terms. */
export function compareAciVersions(a: AciVersion, b: AciVersion): -1 | 0 | 1 {
  const release = sign(a.major1 - b.major1) || sign(a.major2 - b.major2) || sign(a.maint - b.maint);
  if (release !== 0) return release;
  if (a.patchKind !== b.patchKind) return a.patchKind === 'letter' ? -1 : 1;
  if (a.patchKind === 'numeric') {
    const byNumber = sign((a.patchNumber ?? 0) - (b.patchNumber ?? 0));
    if (byNumber !== 0) return byNumber;
  }
  return compareLetters(a.patchLetter, b.patchLetter);
}

/** True when `text` is at least `min`; undefined when either does not parse as an ACI version. */
export function aciVersionAtLeast(text: string, min: string): boolean | undefined {
  const version = parseAciVersion(text);
  const minimum = parseAciVersion(min);
  if (version === undefined || minimum === undefined) return undefined;
  return compareAciVersions(version, minimum) >= 0;
}

/** Canonical text in the version's own platform form: `6.1(2f)`, `16.1(2f)`, `5.2(7.123a)`. */
export function formatAciVersion(v: AciVersion): string {
  const major1 = v.platform === 'switch' ? `1${v.major1}` : `${v.major1}`;
  const patch = v.patchKind === 'numeric' ? `.${v.patchNumber ?? 0}${v.patchLetter}` : v.patchLetter;
  return `${major1}.${v.major2}(${v.maint}${patch})`;
}

/** The APIC form of any version: switch `n9000-16.1(2f)` → `6.1(2f)`. */
export function formatApicEquivalent(v: AciVersion): string {
  return formatAciVersion({ ...v, platform: 'apic' });
}
