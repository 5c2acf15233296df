import type { ChangeSpec } from '../../spec/index.js';

// The pieces the agent's fact queries are written in: APIC query-target-filter terms (quoted
// values, or/and, a DN prefix as wcard) and the spec's changes of one type.

export const q = (text: string): string => `"${text}"`;
export const or = (terms: readonly string[]): string => (terms.length === 1 ? (terms[0] ?? 'false()') : `or(${terms.join(',')})`);
export const and = (terms: readonly string[]): string => (terms.length === 1 ? (terms[0] ?? 'true()') : `and(${terms.join(',')})`);
/** The MOs of `cls` whose DN contains `dn` (wcard is a regular expression on the APIC). */
export const within = (cls: string, dn: string): string => `wcard(${cls}.dn,${q(dn)})`;

type Change = ChangeSpec['changes'][number];
export const ofType = <T extends Change['type']>(spec: ChangeSpec, type: T): Array<Extract<Change, { type: T }>> =>
  spec.changes.filter((c): c is Extract<Change, { type: T }> => c.type === type);
