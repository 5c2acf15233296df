import * as z from '../../zod.js';

// What the prechecks and the planner know about a fabric, parsed from APIC answers. Every section
// is optional: a section the capture did not cover is `undefined`, and the rules that need it
// answer `unknown` instead of guessing.

const NodeId = z.int().check(z.positive());

export const ControllerFact = z.strictObject({ nodeId: NodeId, pod: z.int(), version: z.string() });
export type ControllerFact = z.infer<typeof ControllerFact>;

export const LeafFact = z.strictObject({
  nodeId: NodeId,
  pod: z.int(),
  role: z.string(),
  /** As the switch reports it: `n9000-16.1(2f)`. */
  version: z.optional(z.string()),
  /** The APIC-equivalent version: `6.1(2f)`. */
  peVer: z.optional(z.string()),
});
export type LeafFact = z.infer<typeof LeafFact>;

export const MoFact = z.strictObject({ className: z.string(), attrs: z.record(z.string(), z.string()) });
export type MoFact = z.infer<typeof MoFact>;

export const BgpPeerEntryFact = z.strictObject({
  nodeId: NodeId,
  pod: z.int(),
  dn: z.string(),
  addr: z.string(),
  operSt: z.string(),
  /** `tenant:vrf` of the BGP domain the session lives in, when the DN says. */
  vrf: z.optional(z.string()),
});
export type BgpPeerEntryFact = z.infer<typeof BgpPeerEntryFact>;

export const PolicyCamFact = z.strictObject({ nodeId: NodeId, pod: z.int(), used: z.number(), cap: z.number() });
export type PolicyCamFact = z.infer<typeof PolicyCamFact>;

export const EndpointFact = z.strictObject({ ip: z.string(), mac: z.optional(z.string()), leafIds: z.array(NodeId) });
export type EndpointFact = z.infer<typeof EndpointFact>;

/** An ARP adjacency on a leaf (arpAdjEp): a host the leaf resolved on one of its interfaces. */
export const ArpAdjacencyFact = z.strictObject({
  nodeId: NodeId,
  pod: z.int(),
  ip: z.string(),
  mac: z.optional(z.string()),
  /** `tenant:vrf` of the ARP domain, from the DN. */
  vrf: z.optional(z.string()),
  /** The L3 interface: `vlan…` for an SVI, `eth1/24.62` for a sub-interface. */
  ifId: z.string(),
  /** The front-panel port the host answered on (`eth1/11`, `po3`); absent or a tunnel when not local. */
  physIfId: z.optional(z.string()),
});
export type ArpAdjacencyFact = z.infer<typeof ArpAdjacencyFact>;

export const RouterIdFact = z.strictObject({
  nodeId: NodeId,
  pod: z.int(),
  rtrId: z.string(),
  l3out: z.string(),
  tenant: z.string(),
  /** tnFvCtxName of the L3Out's l3extRsEctx, when captured. */
  vrf: z.optional(z.string()),
});
export type RouterIdFact = z.infer<typeof RouterIdFact>;

export const SubnetFact = z.strictObject({
  ip: z.string(),
  dn: z.string(),
  className: z.enum(['fvSubnet', 'l3extSubnet']),
  tenant: z.string(),
  vrf: z.optional(z.string()),
  scope: z.optional(z.string()),
});
export type SubnetFact = z.infer<typeof SubnetFact>;

export const PhysDomainFact = z.strictObject({
  name: z.string(),
  vlanPool: z.optional(z.string()),
  /** VLAN blocks of the domain's pool, when the pool was captured. */
  vlanRanges: z.optional(z.array(z.strictObject({ from: z.int(), to: z.int() }))),
});
export type PhysDomainFact = z.infer<typeof PhysDomainFact>;

/** One ESG IP selector anywhere in the fabric, with the DN of the VRF its ESG is in. */
export const IpSelectorFact = z.strictObject({ dn: z.string(), esg: z.string(), vrf: z.string(), matchExpression: z.string() });
export type IpSelectorFact = z.infer<typeof IpSelectorFact>;

/** The fabric-wide capacity counts the agent asks the APIC for (capacity-counts.ts). */
export const CapacityCountKey = z.enum(['extEpgsFabric', 'esgsPerVrf', 'ipSelectorsFabric']);
export type CapacityCountKey = z.infer<typeof CapacityCountKey>;

export const AciCounts = z.strictObject({
  /** External EPGs by L3Out DN. */
  extEpgsPerL3Out: z.optional(z.record(z.string(), z.int())),
  extEpgsFabric: z.optional(z.int()),
  /** ESGs by the DN of the VRF their fvRsScope names. */
  esgsPerVrf: z.optional(z.record(z.string(), z.int())),
  /** IP selectors seen fabric-wide: an upper bound for any one leaf. */
  ipSelectorsFabric: z.optional(z.int()),
  /** BGP peer entries by leaf node id. */
  bgpPeersPerLeaf: z.optional(z.record(z.string(), z.int())),
  /**
   * The fabric-wide counts above that are upper bounds: one APIC total over several classes
   * (capacity-counts.ts), not each class's own count. (esgsPerVrf: the spec's VRF's entry.)
   */
  atMost: z.optional(z.array(CapacityCountKey)),
});
export type AciCounts = z.infer<typeof AciCounts>;

export const AciFacts = z.strictObject({
  controllers: z.optional(z.array(ControllerFact)),
  leaves: z.optional(z.array(LeafFact)),
  fabricAsn: z.optional(z.int()),
  /** Tenants whose fvTenant object was captured: their subtree counts as known. */
  tenants: z.array(z.string()),
  /** Config MOs under uni/ by DN, without volatile attributes: the planner's "current". */
  mos: z.record(z.string(), MoFact),
  counts: AciCounts,
  bgpPeerEntries: z.optional(z.array(BgpPeerEntryFact)),
  policyCam: z.optional(z.array(PolicyCamFact)),
  endpoints: z.optional(z.array(EndpointFact)),
  /** ARP adjacencies of the leaves: where hosts behind L3Out SVIs sit (no fvCEp there). */
  arpAdjacencies: z.optional(z.array(ArpAdjacencyFact)),
  routerIds: z.optional(z.array(RouterIdFact)),
  subnets: z.optional(z.array(SubnetFact)),
  physDomains: z.optional(z.array(PhysDomainFact)),
  /** L3 domains (uni/l3dom-…) with their VLAN pools: what an L3Out's l3extRsL3DomAtt names. */
  l3Domains: z.optional(z.array(PhysDomainFact)),
  /** ESG IP selectors of every tenant: conflicts are per VRF, whichever tenant holds the ESG. */
  ipSelectors: z.optional(z.array(IpSelectorFact)),
  /** fvcapRule limits by subject, as the fabric's catalogue states them. */
  capRules: z.optional(z.record(z.string(), z.number())),
});
export type AciFacts = z.infer<typeof AciFacts>;

/** Facts with nothing known: every precheck answers unknown, the planner plans a fresh fabric. */
export function emptyAciFacts(): AciFacts {
  return { tenants: [], mos: {}, counts: {} };
}
