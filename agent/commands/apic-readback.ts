import type { ApicClient } from '../apic/client.js';
import { classOfDn } from '../../shared/aci/classes.js';
import { isWithin, joinRns, splitDn } from '../../shared/aci/dn.js';
import type { MoJson, Readback } from '../../shared/plan/index.js';

type ApicCheck = Extract<Readback, { target: 'apic' }>;

// Read-back after every APIC write: NaC #258 showed that a tool trusting the status code reports
// success for configuration the APIC refused. What was written must be read again and match.
// One subtree GET per tenant (or other top-level root) answers every check in it, compared in
// memory: a batch of 30 objects costs one request, not 30.

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

async function readSubtree(client: ApicClient, checks: readonly ApicCheck[]): Promise<Map<string, Record<string, string>>> {
  const base = commonAncestor(checks.map((c) => c.dn));
  const classes = [...new Set(checks.map((c) => classOfDn(c.dn)))];
  // An MO of a class the catalogue does not know (a captured object being restored) cannot be
  // named in target-subtree-class: read the whole subtree then.
  const only = classes.every((c): c is string => c !== undefined) ? { 'target-subtree-class': classes.sort().join(',') } : {};
  const mos = await client.getAll(`/api/mo/${base}.json`, { 'query-target': 'subtree', ...only });
  const found = indexAttrs(mos, new Map());
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
