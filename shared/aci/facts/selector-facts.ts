import { parentDn } from '../dn.js';
import type { AciMo } from '../model/aci-mo.js';
import type { IpSelectorFact } from './aci-facts.js';
import type { ByClass } from './fabric-facts.js';
import { tenantOfDn } from './topology.js';

// ESG IP selectors of every tenant with the VRF their ESG is in. fvRsScope names the VRF; the
// APIC resolves the name in the ESG's tenant, then in common — so a selector in another tenant
// can classify into the same VRF as ours.

const of = (byClass: ByClass, className: string): ReadonlyArray<AciMo> => byClass.get(className) ?? [];

export function ipSelectorFacts(byClass: ByClass): IpSelectorFact[] | undefined {
  const selectors = of(byClass, 'fvEPSelector');
  if (selectors.length === 0 && of(byClass, 'fvESg').length === 0) return undefined;
  const vrfs = new Set(of(byClass, 'fvCtx').map((mo) => mo.dn));
  const scopeOf = new Map(of(byClass, 'fvRsScope').map((mo) => [parentDn(mo.dn), mo.attrs.tnFvCtxName ?? '']));
  return selectors.flatMap((mo) => {
    const esg = parentDn(mo.dn);
    const tenant = tenantOfDn(mo.dn);
    const name = scopeOf.get(esg);
    if (tenant === undefined || name === undefined || mo.attrs.matchExpression === undefined) return [];
    const own = `uni/tn-${tenant}/ctx-${name}`;
    const vrf = vrfs.has(own) || !vrfs.has(`uni/tn-common/ctx-${name}`) ? own : `uni/tn-common/ctx-${name}`;
    return [{ dn: mo.dn, esg, vrf, matchExpression: mo.attrs.matchExpression }];
  });
}
