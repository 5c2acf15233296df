import { aciClass } from '../classes.js';
import { isWithin, parentDn } from '../dn.js';
import type { AciMo } from '../model/aci-mo.js';
import { tenantDn } from '../model/dns.js';
import type { AciCounts, MoFact, PhysDomainFact, RouterIdFact, SubnetFact } from './aci-facts.js';
import type { ByClass } from './fabric-facts.js';
import { ancestorAt, nodeOfDn, tenantOfDn } from './topology.js';

// Policy facts: the config tree the planner diffs against, the counts capacity rules need,
// router ids and subnets per VRF for the conflict rules, and the physical domain with its pool.

const of = (byClass: ByClass, className: string): ReadonlyArray<AciMo> => byClass.get(className) ?? [];

/** Config MOs under uni/: operational MOs (learned endpoints and everything below them) are left out. */
export function configMos(all: ReadonlyArray<AciMo>, tenant: string | undefined): Record<string, MoFact> {
  const operDns = new Set(all.filter((mo) => aciClass(mo.className)?.kind === 'oper').map((mo) => mo.dn));
  const underOper = (dn: string): boolean => {
    for (let at = dn; at !== ''; at = parentDn(at)) if (operDns.has(at)) return true;
    return false;
  };
  const keep = (dn: string) =>
    tenant === undefined ||
    isWithin(dn, tenantDn(tenant)) ||
    /^uni\/(phys-|l3dom-|infra\/vlanns-|fabric\/bgpInstP-)/.test(dn) ||
    dn === 'uni' || dn === 'uni/infra' || dn === 'uni/fabric';
  const out: Record<string, MoFact> = {};
  for (const mo of [...all].sort((a, b) => (a.dn < b.dn ? -1 : 1))) {
    if (!mo.dn.startsWith('uni/') || !keep(mo.dn)) continue;
    if (underOper(mo.dn)) continue;
    out[mo.dn] = { className: mo.className, attrs: mo.attrs };
  }
  return out;
}

/** VRF name (tnFvCtxName) by the DN of the L3Out, BD or ESG whose relation names it. */
function vrfRelations(byClass: ByClass): Map<string, string> {
  const out = new Map<string, string>();
  for (const cls of ['l3extRsEctx', 'fvRsCtx', 'fvRsScope']) {
    for (const mo of of(byClass, cls)) if (mo.attrs.tnFvCtxName !== undefined) out.set(parentDn(mo.dn), mo.attrs.tnFvCtxName);
  }
  return out;
}

export function countFacts(byClass: ByClass, knownTenant: boolean, leavesKnown: boolean): AciCounts {
  const extEpgs = of(byClass, 'l3extInstP');
  const esgs = of(byClass, 'fvESg');
  const selectors = of(byClass, 'fvEPSelector').filter((mo) => (mo.attrs.matchExpression ?? '').startsWith('ip'));
  const entries = of(byClass, 'bgpPeerEntry');
  const vrfs = vrfRelations(byClass);
  const counts: AciCounts = {};
  if (knownTenant || extEpgs.length > 0) {
    const perL3Out: Record<string, number> = {};
    for (const mo of extEpgs) perL3Out[parentDn(mo.dn)] = (perL3Out[parentDn(mo.dn)] ?? 0) + 1;
    counts.extEpgsPerL3Out = perL3Out;
    counts.extEpgsFabric = extEpgs.length;
  }
  if (knownTenant || esgs.length > 0) {
    const perVrf: Record<string, number> = {};
    for (const esg of esgs) {
      const vrf = vrfs.get(esg.dn);
      const tenant = tenantOfDn(esg.dn);
      if (vrf === undefined || tenant === undefined) continue;
      const key = `${tenantDn(tenant)}/ctx-${vrf}`;
      perVrf[key] = (perVrf[key] ?? 0) + 1;
    }
    counts.esgsPerVrf = perVrf;
    counts.ipSelectorsFabric = selectors.length;
  }
  if (leavesKnown || entries.length > 0) {
    const perLeaf: Record<string, number> = {};
    for (const mo of entries) {
      const node = nodeOfDn(mo.dn);
      if (node) perLeaf[String(node.nodeId)] = (perLeaf[String(node.nodeId)] ?? 0) + 1;
    }
    counts.bgpPeersPerLeaf = perLeaf;
  }
  return counts;
}

export function routerIdFacts(byClass: ByClass, knownTenant: boolean): RouterIdFact[] | undefined {
  const atts = of(byClass, 'l3extRsNodeL3OutAtt');
  if (!knownTenant && atts.length === 0) return undefined;
  const vrfs = vrfRelations(byClass);
  return atts.flatMap((mo) => {
    const node = nodeOfDn(mo.attrs.tDn ?? '');
    const tenant = tenantOfDn(mo.dn);
    const l3out = ancestorAt(mo.dn, 3);
    if (!node || tenant === undefined || !mo.attrs.rtrId) return [];
    const vrf = vrfs.get(l3out);
    return [{ ...node, rtrId: mo.attrs.rtrId, l3out, tenant, ...(vrf !== undefined ? { vrf } : {}) }];
  });
}

export function subnetFacts(byClass: ByClass, knownTenant: boolean): SubnetFact[] | undefined {
  const subnets = [...of(byClass, 'fvSubnet'), ...of(byClass, 'l3extSubnet')];
  if (!knownTenant && subnets.length === 0) return undefined;
  const vrfs = vrfRelations(byClass);
  const bdOfEpg = new Map(of(byClass, 'fvRsBd').map((mo) => [parentDn(mo.dn), mo.attrs.tnFvBDName ?? '']));
  const vrfOf = (mo: AciMo, tenant: string): string | undefined => {
    const owner = parentDn(mo.dn);
    if (mo.className === 'l3extSubnet') return vrfs.get(ancestorAt(mo.dn, 3));
    const bd = owner.includes('/BD-') ? owner : `${tenantDn(tenant)}/BD-${bdOfEpg.get(owner) ?? ''}`;
    return vrfs.get(bd);
  };
  return subnets.flatMap((mo) => {
    const tenant = tenantOfDn(mo.dn);
    if (tenant === undefined || !mo.attrs.ip) return [];
    const vrf = vrfOf(mo, tenant);
    return [{
      ip: mo.attrs.ip, dn: mo.dn, className: mo.className as SubnetFact['className'], tenant,
      ...(vrf !== undefined ? { vrf } : {}), ...(mo.attrs.scope !== undefined ? { scope: mo.attrs.scope } : {}),
    }];
  });
}

/** Physical (physDomP, uni/phys-…) or L3 (l3extDomP, uni/l3dom-…) domains with their VLAN pools. */
export function physDomainFacts(byClass: ByClass, className: 'physDomP' | 'l3extDomP' = 'physDomP'): PhysDomainFact[] | undefined {
  const domains = of(byClass, className);
  if (domains.length === 0) return undefined;
  const prefix = className === 'physDomP' ? /^uni\/phys-/ : /^uni\/l3dom-/;
  const poolOf = new Map(of(byClass, 'infraRsVlanNs').map((mo) => [parentDn(mo.dn), mo.attrs.tDn ?? '']));
  const pools = new Set(of(byClass, 'fvnsVlanInstP').map((mo) => mo.dn));
  const blocks = of(byClass, 'fvnsEncapBlk');
  const vlan = (text: string | undefined) => Number(/^vlan-(\d+)$/.exec(text ?? '')?.[1] ?? NaN);
  return domains.map((mo) => {
    const name = mo.attrs.name || mo.dn.replace(prefix, '');
    const pool = poolOf.get(mo.dn);
    if (!pool) return { name };
    if (!pools.has(pool)) return { name, vlanPool: pool };
    const vlanRanges = blocks
      .filter((b) => parentDn(b.dn) === pool)
      .map((b) => ({ from: vlan(b.attrs.from), to: vlan(b.attrs.to) }))
      .filter((r) => Number.isInteger(r.from) && Number.isInteger(r.to));
    return { name, vlanPool: pool, vlanRanges };
  });
}
