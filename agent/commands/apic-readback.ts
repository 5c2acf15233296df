import type { ApicClient } from '../apic/client.js';
import { classOfDn } from '../../shared/aci/classes.js';
import { isWithin, joinRns, splitDn } from '../../shared/aci/dn.js';
import type { MoJson, Readback } from '../../shared/plan/index.js';

type ApicCheck = Extract<Readback, { target: 'apic' }>;

// Read-back after every APIC write: NaC #258 showed that a tool trusting the status code reports
// success for configuration the APIC refused. What was written must be read again and match.
// One subtree GET per tenant (or other top-level root) answers every check in it, compared in
// memory: a batch of 30 objects costs one request, not 30; it is filtered to the checked DNs, so
// what it reads grows with the change, not with the tenant.

/** The deepest DN every one of `dns` sits at or below. */
function commonAncestor(dns: readonly string[]): string {
  const [first, ...rest] = dns.map(splitDn);
  if (!first) return '';
  let depth = first.length;
  for (const rns of rest) {
    let same = 0;
    while (same < Math.min(depth, rns.length) && rns[same] === first[same]) same++;
    depth = same;
  }
  return joinRns(first.slice(0, depth));
}

/** Checks grouped by their top-level root (`uni/tn-T`, `uni/fabric`…), so no query spans all of uni. */
function byRoot(checks: readonly ApicCheck[]): Map<string, ApicCheck[]> {
  const groups = new Map<string, ApicCheck[]>();
  for (const check of checks) {
    const root = joinRns(splitDn(check.dn).slice(0, 2));
    groups.set(root, [...(groups.get(root) ?? []), check]);
  }
  return groups;
}

/** Attributes by DN of every MO the one query returns (nested children included). */
function indexAttrs(mos: readonly MoJson[], into: Map<string, Record<string, string>>): Map<string, Record<string, string>> {
  for (const mo of mos) {
    for (const body of Object.values(mo)) {
      const dn = body.attributes.dn;
      if (dn !== undefined) into.set(dn, body.attributes);
      indexAttrs(body.children ?? [], into);
    }
  }
  return into;
}

/**
 * A filter that keeps exactly the checked DNs (a term of another class never matches), in as few
 * chunks as keep each URL short: on a tenant of 4 000 ESGs and 20 000 selectors the class list
 * alone would read them all back (12.5 MB in 56 pages), the DNs read back only what was written.
 */
function dnFilters(classes: ReadonlyMap<string, string>): string[] {
  const terms = [...classes.keys()].sort().map((dn) => `eq(${classes.get(dn) ?? ''}.dn,"${dn}")`);
  const chunks: string[][] = [];
  let length = Infinity;
  for (const term of terms) {
    if (length + term.length > readbackFilterChars) {
      chunks.push([]);
      length = 0;
    }
    chunks[chunks.length - 1]?.push(term);
    length += term.length + 1;
  }
  return chunks.map((c) => (c.length === 1 ? (c[0] ?? '') : `or(${c.join(',')})`));
}

/** Filter text per request: with the rest of the URL well inside what an APIC's web server takes. */
export const readbackFilterChars = 6000;

async function readSubtree(client: ApicClient, checks: readonly ApicCheck[]): Promise<Map<string, Record<string, string>>> {
  const base = commonAncestor(checks.map((c) => c.dn));
  const classes = new Map(checks.map((c) => [c.dn, classOfDn(c.dn)]));
  const known = new Map([...classes].flatMap(([dn, cls]) => (cls === undefined ? [] : [[dn, cls] as const])));
  const found = new Map<string, Record<string, string>>();
  // An MO of a class the catalogue does not know (a captured object being restored) cannot be
  // named in target-subtree-class or a filter: read the whole subtree then.
  if (known.size < classes.size) {
    indexAttrs(await client.getAll(`/api/mo/${base}.json`, { 'query-target': 'subtree' }), found);
  } else {
    const only = [...new Set(known.values())].sort().join(',');
    for (const filter of dnFilters(known)) {
      indexAttrs(await client.getAll(`/api/mo/${base}.json`, { 'query-target': 'subtree', 'target-subtree-class': only, 'query-target-filter': filter }), found);
    }
  }
  // Only what sits under the base counts; the APIC answers nothing for a base that is gone.
  for (const dn of found.keys()) if (!isWithin(dn, base)) found.delete(dn);
  return found;
}

export async function apicReadbackHolds(client: ApicClient, checks: readonly Readback[]): Promise<{ holds: boolean; detail: string }> {
  const apic = checks.filter((c): c is ApicCheck => c.target === 'apic');
  for (const group of byRoot(apic).values()) {
    const found = await readSubtree(client, group);
    for (const check of group) {
      const attrs = found.get(check.dn);
      if (check.absent) {
        if (attrs) return { holds: false, detail: `${check.dn} still exists` };
        continue;
      }
      if (!attrs) return { holds: false, detail: `${check.dn} does not exist` };
      for (const [name, want] of Object.entries(check.attributes ?? {})) {
        if (attrs[name] !== want) return { holds: false, detail: `${check.dn} ${name} is "${attrs[name] ?? ''}", expected "${want}"` };
      }
    }
  }
  return { holds: true, detail: `${checks.length} object(s) read back as planned` };
}
