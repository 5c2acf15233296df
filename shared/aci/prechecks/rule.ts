import type { PrecheckResult } from '../../plan/index.js';

// Each ACI precheck rule: a stable dotted id (matched by tests, tickets and dashboards) and a
// title that says what must hold.

export const aciRules = {
  floatingSvi: { id: 'aci.version.floating-svi', title: 'floating SVI on a physical domain needs APIC and anchors at 5.0(1) or later' },
  nexthopPropagate: { id: 'aci.version.nexthop-propagate', title: 'next-hop propagate with ignore IGP metric (6.1(2)+) is configured consistently on every anchor' },
  anchorMix: { id: 'aci.peering.anchor-mix', title: 'before 6.1(2), BGP nodes sit all on anchor leaves or all on other leaves' },
  extEpgsPerL3Out: { id: 'aci.capacity.ext-epgs-per-l3out', title: 'at most 250 external EPGs per L3Out' },
  extEpgsFabric: { id: 'aci.capacity.ext-epgs-fabric', title: 'at most 600 external EPGs per fabric' },
  bgpPeersPerLeaf: { id: 'aci.capacity.bgp-peers-per-leaf', title: 'at most 2000 BGP peers per anchor leaf' },
  anchors: { id: 'aci.capacity.anchors', title: 'a floating L3Out has at most 6 anchor and 32 non-anchor leaves' },
  esgsPerVrf: { id: 'aci.capacity.esgs-per-vrf', title: 'at most 4000 ESGs per VRF' },
  ipSelectorsPerLeaf: { id: 'aci.capacity.ip-selectors-per-leaf', title: 'at most 5000 IP selectors per leaf' },
  policyCam: { id: 'aci.capacity.policy-cam', title: 'policy CAM keeps its headroom on the leaves the change programs' },
  prefixInVrf: { id: 'aci.conflict.prefix-in-vrf', title: 'the change\'s prefixes are not already used elsewhere in the VRF' },
  ipSelector: { id: 'aci.conflict.ip-selector', title: 'an egress IP is classified by one ESG only' },
  egressPlacement: { id: 'aci.egress.ip-placement', title: 'every egress IP sits in a bridge-domain subnet of the ESG\'s VRF, outside the L3Out peering subnet' },
  routerId: { id: 'aci.conflict.router-id', title: 'each anchor keeps the router id it has in other L3Outs of the VRF' },
  fabricAsn: { id: 'aci.conflict.fabric-asn', title: 'the spec\'s fabric AS is the fabric\'s BGP AS' },
  l3outVrf: { id: 'aci.conflict.l3out-vrf', title: 'an existing L3Out already belongs to the spec\'s VRF' },
  physDomain: { id: 'aci.domain.phys-domain-exists', title: 'the floating SVI\'s physical domain exists' },
  vlanInPool: { id: 'aci.domain.vlan-in-pool', title: 'the peering VLAN is in the physical domain\'s VLAN pool' },
  l3Domain: { id: 'aci.domain.l3-domain', title: 'the L3Out is attached to an L3 domain that exists' },
  l3VlanInPool: { id: 'aci.domain.l3-vlan-in-pool', title: 'the SVI encap is in the L3 domain\'s VLAN pool' },
} as const;

export type AciRule = (typeof aciRules)[keyof typeof aciRules];

const at = (change: number | undefined) => (change === undefined ? {} : { change });

export function pass(rule: AciRule, evidence: string, change?: number): PrecheckResult {
  return { id: rule.id, scope: 'aci', title: rule.title, verdict: 'pass', evidence, ...at(change) };
}

export function fail(rule: AciRule, evidence: string, fix: string, change?: number): PrecheckResult {
  return { id: rule.id, scope: 'aci', title: rule.title, verdict: 'fail', evidence, fix, ...at(change) };
}

export function unknown(rule: AciRule, evidence: string, fix: string, change?: number): PrecheckResult {
  return { id: rule.id, scope: 'aci', title: rule.title, verdict: 'unknown', evidence, fix, ...at(change) };
}
