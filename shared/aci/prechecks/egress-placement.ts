import type { PrecheckResult } from '../../plan/index.js';
import type { EgressGateway } from '../../spec/index.js';
import { contains, parseHost, parseInterfaceAddress, type Prefix } from '../../spec/addresses.js';
import type { SubnetFact } from '../facts/aci-facts.js';
import { ancestorAt } from '../facts/topology.js';
import type { AciRuleContext, Indexed } from './context.js';
import { aciRules, fail, pass, unknown } from './rule.js';

// Where an egress IP may sit for the ESG option of the design (reference/aci.md §1, advanced
// design "egress BD + EPG + ESGs with /32 IP selectors"): an ESG IP selector classifies endpoints
// the fabric learns in a bridge domain of the ESG's VRF (fvRsScope), and a BD learns IPs only
// inside its subnets (limitIpLearnToSubnets). An address in the L3Out's peering subnet is an
// L3Out host on the floating SVI instead: it is never an endpoint of a BD, so no ESG selector
// ever matches it and the egress traffic is dropped by the VRF's contracts.

const recollect = 'collect the APIC facts (aci.collect) and plan again';

interface PeeringSubnet {
  readonly prefix: Prefix;
  readonly text: string;
  readonly where: string;
}

/** The spec's peering subnet and the floating SVIs the VRF's L3Outs of this tenant already have. */
function peeringSubnets(ctx: AciRuleContext): PeeringSubnet[] {
  const { tenant, vrf } = ctx.spec.aci;
  const out: PeeringSubnet[] = [];
  const add = (text: string, where: string) => {
    const prefix = parseInterfaceAddress(text);
    if (prefix && !out.some((p) => p.prefix.length === prefix.length && contains(p.prefix, prefix.address))) out.push({ prefix, text, where });
  };
  if (ctx.peering) add(ctx.peering.change.peeringSubnet, `the bgpPeering change (L3Out ${ctx.spec.aci.l3out})`);
  for (const [dn, mo] of Object.entries(ctx.facts.mos)) {
    if (mo.className !== 'l3extVirtualLIfP' || !dn.startsWith(`uni/tn-${tenant}/out-`) || !mo.attrs.addr) continue;
    const l3out = ancestorAt(dn, 3);
    if (ctx.facts.mos[`${l3out}/rsectx`]?.attrs.tnFvCtxName !== vrf) continue;
    add(mo.attrs.addr, `the floating SVI of L3Out ${l3out.split('/out-')[1] ?? l3out}`);
  }
  return out;
}

const bdSubnet = (s: SubnetFact) => s.className === 'fvSubnet';

export function egressPlacementRule(ctx: AciRuleContext, egress: Indexed<EgressGateway>): PrecheckResult {
  const rule = aciRules.egressPlacement;
  const { tenant, vrf } = ctx.spec.aci;
  const ip = egress.change.egressIp;
  const host = parseHost(ip);
  const subnets = ctx.facts.subnets?.filter((s) => s.tenant === tenant && s.vrf === vrf && bdSubnet(s));
  if (!subnets || !host) return unknown(rule, `the bridge-domain subnets of VRF ${vrf} are not in the facts`, recollect, egress.index);
  const all = peeringSubnets(ctx);
  const peering = all.filter((p) => contains(p.prefix, host));
  const esg = `ESG ${egress.change.esg.applicationProfile}/${egress.change.esg.name}`;
  if (peering.length > 0) {
    const p = peering[0] as PeeringSubnet;
    return fail(rule,
      `egress IP ${ip} is inside the L3Out peering subnet ${p.text} of ${p.where}: the fabric sees it as an L3Out host on the floating SVI, not as an endpoint of a bridge domain, so the IP selector of ${esg} (scope VRF ${vrf}) never classifies it`,
      `pick an egress IP inside a bridge-domain subnet of VRF ${vrf}${subnets[0] ? ` (e.g. ${subnets[0].ip} of ${subnets[0].dn.replace(/\/subnet-\[.*$/, '')})` : ''} and give the gateway node an interface in that BD's EPG, or advertise the egress IP over BGP and classify it with an external EPG (the design's preferred egress option)`,
      egress.index);
  }
  const inside = subnets.filter((s) => {
    const prefix = parseInterfaceAddress(s.ip);
    return prefix !== undefined && contains(prefix, host);
  });
  if (inside.length === 0) {
    return fail(rule,
      `egress IP ${ip} is in no bridge-domain subnet of VRF ${vrf} (${subnets.length > 0 ? subnets.map((s) => s.ip).join(', ') : 'the VRF has none'}): a BD learns endpoint IPs only inside its subnets, so the IP selector of ${esg} never classifies it`,
      `add a subnet covering ${ip} to a bridge domain of VRF ${vrf} (the design's egress BD, with the gateway node's interface in its EPG), or pick an egress IP inside ${subnets.length > 0 ? subnets.map((s) => s.ip).join(', ') : 'such a subnet'}`,
      egress.index);
  }
  const found = inside[0] as SubnetFact;
  return pass(rule, `egress IP ${ip} is inside bridge-domain subnet ${found.ip} (${found.dn}) of VRF ${vrf}, outside the L3Out peering subnet${all.length > 0 ? ` ${all.map((p) => p.text).join(', ')}` : 's (none in the VRF)'}`, egress.index);
}
