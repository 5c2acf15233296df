import type { PrecheckResult } from '../../plan/index.js';
import type { BgpPeering } from '../../spec/index.js';
import type { AciRuleContext, Indexed } from './context.js';
import { aciRules, fail, pass, unknown } from './rule.js';

// The floating SVI reaches the non-anchor nodes through the physical domain, whose VLAN pool
// must hold the peering VLAN.

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
