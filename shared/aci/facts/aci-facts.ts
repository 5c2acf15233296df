import * as z from 'zod';

// What the prechecks and the planner know about a fabric, parsed from APIC answers. Every section
// is optional: a section the capture did not cover is `undefined`, and the rules that need it
// answer `unknown` instead of guessing.

const NodeId = z.number().int().positive();

export const ControllerFact = z.strictObject({ nodeId: NodeId, pod: z.number().int(), version: z.string() });
export type ControllerFact = z.infer<typeof ControllerFact>;

export const LeafFact = z.strictObject({
  nodeId: NodeId,
  pod: z.number().int(),
  role: z.string(),
  /** As the switch reports it: `n9000-16.1(2f)`. */
  version: z.string().optional(),
  /** The APIC-equivalent version: `6.1(2f)`. */
  peVer: z.string().optional(),
});
export type LeafFact = z.infer<typeof LeafFact>;

export const MoFact = z.strictObject({ className: z.string(), attrs: z.record(z.string(), z.string()) });
export type MoFact = z.infer<typeof MoFact>;

export const BgpPeerEntryFact = z.strictObject({
  nodeId: NodeId,
  pod: z.number().int(),
  dn: z.string(),
  addr: z.string(),
  operSt: z.string(),
  /** `tenant:vrf` of the BGP domain the session lives in, when the DN says. */
  vrf: z.string().optional(),
});
export type BgpPeerEntryFact = z.infer<typeof BgpPeerEntryFact>;

export const PolicyCamFact = z.strictObject({ nodeId: NodeId, pod: z.number().int(), used: z.number(), cap: z.number() });
export type PolicyCamFact = z.infer<typeof PolicyCamFact>;

export const EndpointFact = z.strictObject({ ip: z.string(), mac: z.string().optional(), leafIds: z.array(NodeId) });
export type EndpointFact = z.infer<typeof EndpointFact>;

/** An ARP adjacency on a leaf (arpAdjEp): a host the leaf resolved on one of its interfaces. */
export const ArpAdjacencyFact = z.strictObject({
  nodeId: NodeId,
  pod: z.number().int(),
  ip: z.string(),
  mac: z.string().optional(),
  /** `tenant:vrf` of the ARP domain, from the DN. */
  vrf: z.string().optional(),
  /** The L3 interface: `vlan…` for an SVI, `eth1/24.62` for a sub-interface. */
  ifId: z.string(),
  /** The front-panel port the host answered on (`eth1/11`, `po3`); absent or a tunnel when not local. */
  physIfId: z.string().optional(),
});
export type ArpAdjacencyFact = z.infer<typeof ArpAdjacencyFact>;

export const RouterIdFact = z.strictObject({
  nodeId: NodeId,
  pod: z.number().int(),
  rtrId: z.string(),
  l3out: z.string(),
  tenant: z.string(),
  /** tnFvCtxName of the L3Out's l3extRsEctx, when captured. */
  vrf: z.string().optional(),
});
export type RouterIdFact = z.infer<typeof RouterIdFact>;

export const SubnetFact = z.strictObject({
  ip: z.string(),
  dn: z.string(),
  className: z.enum(['fvSubnet', 'l3extSubnet']),
  tenant: z.string(),
  vrf: z.string().optional(),
  scope: z.string().optional(),
});
export type SubnetFact = z.infer<typeof SubnetFact>;

export const PhysDomainFact = z.strictObject({
  name: z.string(),
  vlanPool: z.string().optional(),
  /** VLAN blocks of the domain's pool, when the pool was captured. */
  vlanRanges: z.array(z.strictObject({ from: z.number().int(), to: z.number().int() })).optional(),
});
export type PhysDomainFact = z.infer<typeof PhysDomainFact>;

/** One ESG IP selector anywhere in the fabric, with the DN of the VRF its ESG is in. */
export const IpSelectorFact = z.strictObject({ dn: z.string(), esg: z.string(), vrf: z.string(), matchExpression: z.string() });
export type IpSelectorFact = z.infer<typeof IpSelectorFact>;

export const AciCounts = z.strictObject({
  /** External EPGs by L3Out DN. */
  extEpgsPerL3Out: z.record(z.string(), z.number().int()).optional(),
  extEpgsFabric: z.number().int().optional(),
  /** ESGs by the DN of the VRF their fvRsScope names. */
  esgsPerVrf: z.record(z.string(), z.number().int()).optional(),
  /** IP selectors seen fabric-wide: an upper bound for any one leaf. */
  ipSelectorsFabric: z.number().int().optional(),
  /** BGP peer entries by leaf node id. */
  bgpPeersPerLeaf: z.record(z.string(), z.number().int()).optional(),
});
export type AciCounts = z.infer<typeof AciCounts>;

export const AciFacts = z.strictObject({
  controllers: z.array(ControllerFact).optional(),
  leaves: z.array(LeafFact).optional(),
  fabricAsn: z.number().int().optional(),
  /** Tenants whose fvTenant object was captured: their subtree counts as known. */
  tenants: z.array(z.string()),
  /** Config MOs under uni/ by DN, without volatile attributes: the planner's "current". */
  mos: z.record(z.string(), MoFact),
  counts: AciCounts,
  bgpPeerEntries: z.array(BgpPeerEntryFact).optional(),
  policyCam: z.array(PolicyCamFact).optional(),
  endpoints: z.array(EndpointFact).optional(),
  /** ARP adjacencies of the leaves: where hosts behind L3Out SVIs sit (no fvCEp there). */
  arpAdjacencies: z.array(ArpAdjacencyFact).optional(),
  routerIds: z.array(RouterIdFact).optional(),
  subnets: z.array(SubnetFact).optional(),
  physDomains: z.array(PhysDomainFact).optional(),
  /** L3 domains (uni/l3dom-…) with their VLAN pools: what an L3Out's l3extRsL3DomAtt names. */
  l3Domains: z.array(PhysDomainFact).optional(),
  /** ESG IP selectors of every tenant: conflicts are per VRF, whichever tenant holds the ESG. */
  ipSelectors: z.array(IpSelectorFact).optional(),
  /** fvcapRule limits by subject, as the fabric's catalogue states them. */
  capRules: z.record(z.string(), z.number()).optional(),
});
export type AciFacts = z.infer<typeof AciFacts>;

/** Facts with nothing known: every precheck answers unknown, the planner plans a fresh fabric. */
export function emptyAciFacts(): AciFacts {
  return { tenants: [], mos: {}, counts: {} };
}
