import type { PrecheckResult } from '../../plan/index.js';
import type { BgpPeering, EgressGateway, LoadBalancerPool } from '../../spec/index.js';
import { overlaps, parseInterfaceAddress, type Prefix } from '../../spec/addresses.js';
import { tenantCaptured } from '../facts/parse-facts.js';
import type { SubnetFact } from '../facts/aci-facts.js';
import { applicationProfileDn, esgDn, externalEpgDn, externalSubnetDn, ipSelectorExpression, l3outDn } from '../model/dns.js';
import type { AciRuleContext, Indexed } from './context.js';
import { aciRules, fail, pass, unknown } from './rule.js';

// Conflicts with what the fabric already has: prefixes in the VRF, router ids of the anchors in
// other L3Outs (the APIC refuses "Different RouterId exists for node", NaC #258), the fabric AS.

const recollect = 'collect the APIC facts (aci.collect) and plan again';

function subnetsInVrf(ctx: AciRuleContext): SubnetFact[] | undefined {
  const { tenant, vrf } = ctx.spec.aci;
  return ctx.facts.subnets?.filter((s) => s.tenant === tenant && s.vrf === vrf);
}

const prefixOf = (ip: string): Prefix | undefined => parseInterfaceAddress(ip.includes('/') ? ip : `${ip}/${ip.includes(':') ? 128 : 32}`);

/**
 * Subnets of the VRF that collide with `prefixText`: any bridge-domain subnet that overlaps it,
 * and any external-EPG subnet as specific as it or more (a broader one, such as 0.0.0.0/0 on a
 * WAN L3Out, loses the longest-prefix match and is no conflict).
 */
function clashes(prefixText: string, subnets: ReadonlyArray<SubnetFact>, skip: (s: SubnetFact) => boolean): SubnetFact[] {
  const prefix = parseInterfaceAddress(prefixText);
  if (!prefix) return [];
  return subnets.filter((s) => {
    const other = prefixOf(s.ip);
    if (!other || skip(s) || !overlaps(prefix, other)) return false;
    return s.className === 'fvSubnet' || other.length >= prefix.length;
  });
}

const describe = (s: SubnetFact) => `${s.ip} (${s.className} ${s.dn})`;

export function poolPrefixRule(ctx: AciRuleContext, pool: Indexed<LoadBalancerPool>): PrecheckResult {
  const rule = aciRules.prefixInVrf;
  const subnets = subnetsInVrf(ctx);
  if (!subnets) return unknown(rule, `the subnets of VRF ${ctx.spec.aci.vrf} are not in the facts`, recollect, pool.index);
  const epg = externalEpgDn(l3outDn(ctx.spec.aci.tenant, ctx.spec.aci.l3out), pool.change.externalEpg);
  const found = pool.change.blocks.flatMap((block) =>
    clashes(block, subnets, (s) => s.dn === externalSubnetDn(epg, block)).map((s) => `${block} overlaps ${describe(s)}`),
  );
  return found.length > 0
    ? fail(rule, `in VRF ${ctx.spec.aci.vrf}: ${found.join('; ')}`, `pick LoadBalancer blocks outside the VRF's existing subnets, or remove the overlapping subnet first`, pool.index)
    : pass(rule, `blocks ${pool.change.blocks.join(', ')} overlap no other subnet of VRF ${ctx.spec.aci.vrf} (${subnets.length} checked)`, pool.index);
}

export function peeringPrefixRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.prefixInVrf;
  const subnets = subnetsInVrf(ctx);
  if (!subnets) return unknown(rule, `the subnets of VRF ${ctx.spec.aci.vrf} are not in the facts`, recollect, peering.index);
  // External-EPG subnets may classify the node subnet on purpose (the advanced design's `nodes` EPG).
  const found = clashes(peering.change.peeringSubnet, subnets, (s) => s.className !== 'fvSubnet');
  return found.length > 0
    ? fail(rule, `peering subnet ${peering.change.peeringSubnet} overlaps bridge-domain subnet ${found.map(describe).join(', ')} in VRF ${ctx.spec.aci.vrf}`,
      'use a peering subnet that no bridge domain of the VRF uses, or move that bridge domain first', peering.index)
    : pass(rule, `peering subnet ${peering.change.peeringSubnet} overlaps no bridge-domain subnet of VRF ${ctx.spec.aci.vrf}`, peering.index);
}

/** The prefix an `ip=='…'` selector expression selects (a bare address is a host), or nothing. */
export function selectorPrefix(expression: string): Prefix | undefined {
  const m = /^ip==\s*'([^']+)'$/.exec(expression.trim());
  return m?.[1] === undefined ? undefined : prefixOf(m[1]);
}

/** The VRF DN a VRF name means from a tenant: its own VRF, else common's (as the APIC resolves it). */
function vrfDnFrom(ctx: AciRuleContext): string {
  const { tenant, vrf } = ctx.spec.aci;
  const own = `uni/tn-${tenant}/ctx-${vrf}`;
  const known = new Set(ctx.facts.ipSelectors?.map((s) => s.vrf) ?? []);
  return ctx.facts.mos[own] || !known.has(`uni/tn-common/ctx-${vrf}`) ? own : `uni/tn-common/ctx-${vrf}`;
}

/**
 * One egress IP, one ESG: the selector's expression is its RN, so `ip=='192.168.3.200'` and
 * `ip=='192.168.3.200/32'` are two selectors for one host on an APIC. Selectors are compared as
 * addresses and prefixes across every ESG of the VRF, whichever tenant holds it; a broader
 * prefix elsewhere is no conflict (the host selector is more specific and wins).
 */
export function ipSelectorRule(ctx: AciRuleContext, egress: Indexed<EgressGateway>): PrecheckResult {
  const rule = aciRules.ipSelector;
  const { tenant, vrf } = ctx.spec.aci;
  const selectors = ctx.facts.ipSelectors ?? (tenantCaptured(ctx.facts, tenant) ? [] : undefined);
  if (!selectors) return unknown(rule, `the ESG selectors of VRF ${vrf} are not in the facts`, recollect, egress.index);
  const ours = esgDn(applicationProfileDn(tenant, egress.change.esg.applicationProfile), egress.change.esg.name);
  const host = prefixOf(egress.change.egressIp);
  const vrfDn = vrfDnFrom(ctx);
  const inVrf = selectors
    .filter((s) => s.vrf === vrfDn)
    .map((s) => ({ ...s, prefix: selectorPrefix(s.matchExpression) }))
    .filter((s) => s.prefix !== undefined && host !== undefined && overlaps(s.prefix, host));
  const same = inVrf.filter((s) => s.prefix?.length === host?.length);
  const others = same.filter((s) => s.esg !== ours);
  if (others.length > 0) {
    return fail(rule, `egress IP ${egress.change.egressIp} is already selected in VRF ${vrf} by ${others.map((s) => `${s.matchExpression} of ${s.esg}`).join(', ')}`,
      `use that ESG (esg: ${others[0]?.esg}) in the spec, or remove its selector first`, egress.index);
  }
  const notes = [
    ...same.filter((s) => s.esg === ours && s.matchExpression !== ipSelectorExpression(egress.change.egressIp))
      .map((s) => `${ours} already selects it as ${s.matchExpression}`),
    ...inVrf.filter((s) => s.prefix !== undefined && host !== undefined && s.prefix.length < host.length)
      .map((s) => `the broader ${s.matchExpression} of ${s.esg} loses to the host selector`),
  ];
  return pass(rule, `no other ESG of VRF ${vrf} selects ${egress.change.egressIp} (${selectors.filter((s) => s.vrf === vrfDn).length} selectors compared as prefixes)${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`, egress.index);
}

export function routerIdRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.routerId;
  const { tenant, vrf, l3out } = ctx.spec.aci;
  if (!ctx.facts.routerIds) return unknown(rule, `the node profiles of tenant ${tenant} are not in the facts`, recollect, peering.index);
  const ours = l3outDn(tenant, l3out);
  const inVrf = ctx.facts.routerIds.filter((r) => r.tenant === tenant && r.vrf === vrf && r.l3out !== ours);
  const problems = peering.change.anchors.flatMap((a) => {
    const sameNode = inVrf.filter((r) => r.nodeId === a.nodeId && r.rtrId !== a.routerId).map((r) =>
      `anchor ${a.nodeId} has router id ${r.rtrId} in L3Out ${r.l3out.split('/out-')[1] ?? r.l3out} of VRF ${vrf}; the spec gives ${a.routerId} — use ${r.rtrId} or change the other L3Out first`);
    const sameId = inVrf.filter((r) => r.nodeId !== a.nodeId && r.rtrId === a.routerId).map((r) =>
      `router id ${a.routerId} of anchor ${a.nodeId} is already leaf ${r.nodeId}'s in L3Out ${r.l3out.split('/out-')[1] ?? r.l3out} — give anchor ${a.nodeId} its own router id`);
    return [...sameNode, ...sameId];
  });
  return problems.length > 0
    ? fail(rule, problems.join('; '), 'align the anchors\' router ids with the other L3Outs of the VRF (the APIC refuses "Different RouterId exists for node")', peering.index)
    : pass(rule, `router ids ${peering.change.anchors.map((a) => `${a.nodeId}=${a.routerId}`).join(', ')} agree with the ${inVrf.length} node attachments of other L3Outs in VRF ${vrf}`, peering.index);
}

export function fabricAsnRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.fabricAsn;
  const asn = ctx.facts.fabricAsn;
  if (asn === undefined) return unknown(rule, 'the fabric BGP policy (uni/fabric/bgpInstP-default/as) is not in the facts', recollect, peering.index);
  return asn === ctx.spec.aci.fabricAsn
    ? pass(rule, `fabric AS ${asn} = spec aci.fabricAsn`, peering.index)
    : fail(rule, `the fabric's BGP AS is ${asn}; the spec gives aci.fabricAsn ${ctx.spec.aci.fabricAsn} — Cilium would peer with the wrong AS`, `set aci.fabricAsn: ${asn} in the spec`, peering.index);
}

export function l3outVrfRule(ctx: AciRuleContext): PrecheckResult {
  const rule = aciRules.l3outVrf;
  const { tenant, vrf, l3out } = ctx.spec.aci;
  if (!tenantCaptured(ctx.facts, tenant)) return unknown(rule, `the subtree of tenant ${tenant} is not in the facts`, recollect);
  const dn = l3outDn(tenant, l3out);
  if (!ctx.facts.mos[dn]) return pass(rule, `L3Out ${l3out} does not exist yet; it is created in VRF ${vrf}`);
  const current = ctx.facts.mos[`${dn}/rsectx`]?.attrs.tnFvCtxName;
  return current === undefined || current === vrf
    ? pass(rule, `L3Out ${l3out} ${current === undefined ? 'has no VRF yet; it is attached to' : 'is in'} VRF ${vrf}`)
    : fail(rule, `L3Out ${l3out} is in VRF ${current}; the spec gives VRF ${vrf}`, `set aci.vrf: ${current} or name another L3Out in aci.l3out`);
}
