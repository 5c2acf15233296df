import type { PrecheckResult } from '../../plan/index.js';
import type { BgpPeering } from '../../spec/index.js';
import type { PhysDomainFact } from '../facts/aci-facts.js';
import { tenantCaptured } from '../facts/parse-facts.js';
import { l3DomainDn, l3outDn } from '../model/dns.js';
import type { AciRuleContext, Indexed } from './context.js';
import { aciRules, fail, pass, unknown } from './rule.js';

// The floating SVI reaches the non-anchor nodes through the physical domain, whose VLAN pool
// must hold the peering VLAN; the L3Out itself is attached to an L3 domain (l3extRsL3DomAtt),
// whose pool must hold the SVI encap too — the APIC deploys no SVI on a VLAN its domain lacks.

export function physDomainRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.physDomain;
  const name = ctx.spec.aci.physDomain;
  const domains = ctx.facts.physDomains;
  if (!domains) return unknown(rule, 'no physical domain (physDomP) in the facts', 'collect the APIC facts (aci.collect) and plan again', peering.index);
  return domains.some((d) => d.name === name)
    ? pass(rule, `physical domain uni/phys-${name} exists`, peering.index)
    : fail(rule, `physical domain uni/phys-${name} does not exist (found: ${domains.map((d) => d.name).join(', ') || 'none'})`,
      `create physical domain ${name} with a VLAN pool holding VLAN ${peering.change.vlan} and its AAEP, or fix aci.physDomain`, peering.index);
}

export function vlanInPoolRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.vlanInPool;
  const name = ctx.spec.aci.physDomain;
  const vlan = peering.change.vlan;
  const domain = ctx.facts.physDomains?.find((d) => d.name === name);
  if (!domain) return unknown(rule, `physical domain ${name} is not in the facts`, `see ${aciRules.physDomain.id}`, peering.index);
  if (!domain.vlanPool) {
    return fail(rule, `physical domain ${name} has no VLAN pool`, `attach a static VLAN pool holding VLAN ${vlan} to physical domain ${name}`, peering.index);
  }
  if (!domain.vlanRanges) return unknown(rule, `VLAN pool ${domain.vlanPool} is not in the facts`, 'collect the VLAN pools (aci.collect) and plan again', peering.index);
  const ranges = domain.vlanRanges.map((r) => `${r.from}–${r.to}`).join(', ') || 'no blocks';
  return domain.vlanRanges.some((r) => r.from <= vlan && vlan <= r.to)
    ? pass(rule, `VLAN ${vlan} is in pool ${domain.vlanPool} (${ranges})`, peering.index)
    : fail(rule, `VLAN ${vlan} is not in pool ${domain.vlanPool} of physical domain ${name} (${ranges})`,
      `pick a VLAN from ${ranges} or add an encap block holding ${vlan} to the pool`, peering.index);
}

/** The L3 domain the L3Out will be attached to: the spec's, else the one the L3Out has. */
function l3DomainOf(ctx: AciRuleContext): { name?: string; source: string } {
  if (ctx.spec.aci.l3Domain !== undefined) return { name: ctx.spec.aci.l3Domain, source: 'aci.l3Domain' };
  const tDn = ctx.facts.mos[`${l3outDn(ctx.spec.aci.tenant, ctx.spec.aci.l3out)}/rsl3DomAtt`]?.attrs.tDn;
  const name = /^uni\/l3dom-(.+)$/.exec(tDn ?? '')?.[1];
  return name !== undefined ? { name, source: `the L3Out's l3extRsL3DomAtt` } : { source: 'none' };
}

export function l3DomainRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.l3Domain;
  const { tenant, l3out } = ctx.spec.aci;
  if (ctx.spec.aci.l3Domain === undefined && !tenantCaptured(ctx.facts, tenant)) {
    return unknown(rule, `aci.l3Domain is not given and the subtree of tenant ${tenant} is not in the facts`, 'collect the APIC facts (aci.collect) and plan again, or give aci.l3Domain', peering.index);
  }
  const { name, source } = l3DomainOf(ctx);
  if (name === undefined) {
    return fail(rule, `L3Out ${l3out} ${ctx.facts.mos[l3outDn(tenant, l3out)] ? 'has no L3 domain' : 'does not exist yet'} and the spec gives no aci.l3Domain`,
      `set aci.l3Domain to the L3 domain (uni/l3dom-NAME) whose VLAN pool holds VLAN ${peering.change.vlan}`, peering.index);
  }
  const domains = ctx.facts.l3Domains;
  if (!domains) return unknown(rule, `no L3 domain (l3extDomP) in the facts; ${source} names ${l3DomainDn(name)}`, 'collect the APIC facts (aci.collect) and plan again', peering.index);
  return domains.some((d) => d.name === name)
    ? pass(rule, `L3 domain ${l3DomainDn(name)} (from ${source}) exists`, peering.index)
    : fail(rule, `L3 domain ${l3DomainDn(name)} (from ${source}) does not exist (found: ${domains.map((d) => d.name).join(', ') || 'none'})`,
      `create L3 domain ${name} with a VLAN pool holding VLAN ${peering.change.vlan}, or set aci.l3Domain to one that exists`, peering.index);
}

function poolHolds(rule: typeof aciRules.l3VlanInPool, what: string, domain: PhysDomainFact, vlan: number, index: number): PrecheckResult {
  if (!domain.vlanPool) return fail(rule, `${what} has no VLAN pool`, `attach a static VLAN pool holding VLAN ${vlan} to ${what}`, index);
  if (!domain.vlanRanges) return unknown(rule, `VLAN pool ${domain.vlanPool} is not in the facts`, 'collect the VLAN pools (aci.collect) and plan again', index);
  const ranges = domain.vlanRanges.map((r) => `${r.from}–${r.to}`).join(', ') || 'no blocks';
  return domain.vlanRanges.some((r) => r.from <= vlan && vlan <= r.to)
    ? pass(rule, `SVI encap vlan-${vlan} is in pool ${domain.vlanPool} (${ranges}) of ${what}`, index)
    : fail(rule, `SVI encap vlan-${vlan} is not in pool ${domain.vlanPool} of ${what} (${ranges}): the APIC would not deploy the floating SVI`,
      `pick a VLAN from ${ranges}, or add an encap block holding ${vlan} to the pool`, index);
}

export function l3VlanInPoolRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.l3VlanInPool;
  const { name } = l3DomainOf(ctx);
  const domain = name === undefined ? undefined : ctx.facts.l3Domains?.find((d) => d.name === name);
  if (!domain) return unknown(rule, `the L3 domain of L3Out ${ctx.spec.aci.l3out} is not in the facts`, `see ${aciRules.l3Domain.id}`, peering.index);
  return poolHolds(rule, `L3 domain ${name}`, domain, peering.change.vlan, peering.index);
}
