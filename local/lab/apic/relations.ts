import { aciClass, canonicalDn, classOfDn, InvalidRn, knownClasses, rnFor } from '../../../shared/aci/classes.js';
import { childDn, splitDn } from '../../../shared/aci/dn.js';
import type { Mit, Mo } from './mit.js';

// Relations resolve as on an APIC: a relation by name (tnFvCtxName…) looks for its target in
// the MO's tenant, then in `common`, an empty name meaning `default`; a relation by DN points at
// its tDn. Either way the relation shows tDn and tCl of what it found and `state` formed, or
// missing-target while the target does not exist (the APIC accepts that and resolves later).
// Only targets the catalogue knows are resolved; relations to classes the lab does not model
// keep the state they were seeded with.

const relationClasses = knownClasses().filter((c) => {
  const def = aciClass(c);
  return def?.kind === 'config' && def.relation !== undefined;
});


function tenantOf(dn: string): string | undefined {
  const rns = splitDn(dn);
  return rns[0] === 'uni' && rns[1]?.startsWith('tn-') ? `uni/${rns[1]}` : undefined;
}

function resolveByName(mit: Mit, mo: Mo, prop: string, targetClass: string): void {
  const target = aciClass(targetClass);
  if (!target?.parents.includes('fvTenant')) return;
  const given = mo.attrs[prop] ?? '';
  const name = given === '' ? 'default' : given;
  const rn = rnFor(targetClass, { name });
  const homes = [tenantOf(mo.dn), 'uni/tn-common'].filter((t): t is string => t !== undefined);
  const found = homes.map((t) => childDn(t, rn)).find((dn) => mit.get(dn)?.className === targetClass);
  Object.assign(mo.attrs, {
    tCl: targetClass, tContextDn: '', tRn: rn,
    tDn: found ?? '', state: found ? 'formed' : 'missing-target', stateQual: found && given === '' ? 'default-target' : 'none',
  });
}

function resolveByDn(mit: Mit, mo: Mo, targetClass: string): void {
  const raw = mo.attrs.tDn ?? '';
  if (raw === '') return;
  let tDn = raw;
  try {
    tDn = canonicalDn(raw);
  } catch (err) {
    if (!(err instanceof InvalidRn)) throw err;
  }
  const found = mit.get(tDn);
  Object.assign(mo.attrs, {
    tCl: found?.className ?? classOfDn(tDn) ?? targetClass,
    state: found ? 'formed' : 'missing-target',
  });
}

/** Brings every relation's tDn/tCl/state up to date with the tree. */
export function resolveRelations(mit: Mit): void {
  for (const cls of relationClasses) {
    const rel = aciClass(cls)?.relation;
    if (!rel) continue;
    for (const mo of mit.byClass(cls)) {
      if (rel.by === 'name') resolveByName(mit, mo, rel.prop, rel.targetClass);
      else resolveByDn(mit, mo, rel.targetClass);
    }
  }
}
