import type { ChangeSpec } from '../../spec/index.js';
import { isWithin, parentDn } from '../dn.js';
import type { AciFacts } from '../facts/aci-facts.js';
import type { ChangeMos, PruneScope } from '../model/aci-mo.js';
import { ownedByChangeflow } from '../model/annotation.js';
import { changeMos, type AciModelOptions } from '../model/desired.js';
import { isNamedChild } from './current.js';

// What the plan removes: the objects of `absent` changes and the owned leftovers of present ones
// (an anchor taken off the list, a block dropped from a pool) — only objects changeflow owns,
// never the tenant or VRF, never an object something else still lives in or references.

export interface Removal {
  /** Topmost DN of a removed subtree. */
  readonly dn: string;
  readonly change: number;
}

// How other objects name a tenant-level policy: while one of them still does, the policy stays.
const policyReferences: Readonly<Record<string, string>> = {
  bgpBestPathCtrlPol: 'tnBgpBestPathCtrlPolName',
  bfdIfPol: 'tnBfdIfPolName',
  bgpCtxPol: 'tnBgpCtxPolName',
  rtctrlSubjP: 'tnRtctrlSubjPName',
  rtctrlAttrP: 'tnRtctrlAttrPName',
};
// Route maps are named by DN (bgpRsPeerToProfile tDn).
const referencedByDn = new Set(['rtctrlProfile']);

export function plannedRemovals(spec: ChangeSpec, facts: AciFacts, desired: ReadonlySet<string>, opts: AciModelOptions): Removal[] {
  const candidates = new Map<string, number>();
  const consider = (dn: string, change: number) => {
    if (!desired.has(dn) && ownedByChangeflow(facts.mos[dn]?.attrs) && !candidates.has(dn)) candidates.set(dn, change);
  };
  const prune = (scope: PruneScope) => {
    for (const [dn, mo] of Object.entries(facts.mos)) {
      if (dn === scope.root || !isWithin(dn, scope.root)) continue;
      if (scope.className !== undefined && mo.className !== scope.className) continue;
      if (scope.name !== undefined && mo.attrs.name !== scope.name) continue;
      consider(dn, scope.change);
    }
  };
  spec.changes.forEach((change, index) => {
    // Whatever the release or the BFD flag were when it was applied, the change may have made both policies.
    const wide = change.type === 'bgpPeering' ? { ...spec, changes: spec.changes.map((c, i) => (i === index ? { ...change, bfd: true } : c)) } : spec;
    const widest: ChangeMos | undefined = changeMos(wide, index, { ...opts, ignoreIgpMetric: true });
    if (change.state === 'absent') {
      for (const mo of widest?.mos ?? []) if (mo.role !== 'shared' && mo.role !== 'part') consider(mo.dn, index);
      widest?.prune.forEach(prune);
    } else {
      for (const mo of widest?.mos ?? []) if (mo.role === 'policy') consider(mo.dn, index);
      changeMos(spec, index, opts)?.prune.forEach(prune);
    }
  });
  keepWhatStillHoldsOthers(facts, candidates);
  keepReferencedPolicies(facts, candidates);
  return [...candidates]
    .filter(([dn]) => ![...candidates.keys()].some((other) => other !== dn && isWithin(dn, other)))
    .map(([dn, change]) => ({ dn, change }))
    .sort((a, b) => (a.dn < b.dn ? -1 : 1));
}

/** An object stays while a named child that is not removed lives in it (fixpoint: deepest first). */
function keepWhatStillHoldsOthers(facts: AciFacts, candidates: Map<string, number>): void {
  const entries = Object.entries(facts.mos);
  for (let changed = true; changed; ) {
    changed = false;
    for (const dn of [...candidates.keys()].sort((a, b) => b.length - a.length)) {
      const holds = entries.some(([d, mo]) => d !== dn && isWithin(d, dn) && isNamedChild(d, mo.className) && !removedBelow(d, dn, candidates));
      if (holds) {
        candidates.delete(dn);
        changed = true;
      }
    }
  }
}

/** True when `dn` goes with a removed object strictly below `top` (or is removed itself). */
function removedBelow(dn: string, top: string, candidates: ReadonlyMap<string, number>): boolean {
  for (let at = dn; at !== top && at !== ''; at = parentDn(at)) if (candidates.has(at)) return true;
  return false;
}

function removedWith(dn: string, candidates: ReadonlyMap<string, number>): boolean {
  for (let at = dn; at !== ''; at = parentDn(at)) if (candidates.has(at)) return true;
  return false;
}

function keepReferencedPolicies(facts: AciFacts, candidates: Map<string, number>): void {
  for (const dn of [...candidates.keys()]) {
    const policy = facts.mos[dn];
    if (!policy) continue;
    const byName = policyReferences[policy.className];
    if (byName === undefined && !referencedByDn.has(policy.className)) continue;
    const tenant = parentDn(dn);
    const used = Object.entries(facts.mos).some(([d, mo]) =>
      isWithin(d, tenant) && !removedWith(d, candidates) &&
      (byName !== undefined ? mo.attrs[byName] === policy.attrs.name : mo.attrs.tDn === dn));
    if (used) candidates.delete(dn);
  }
}
