// The `scale` lab scenario (issue 20): a fabric and a cluster at the limits changeflow's own
// prechecks enforce, generated in code so that both emulators agree on every name and address.
// Only the sizes live here; local/lab/apic/scale-seed.ts and local/lab/kubernetes/scale-seeds.ts
// turn them into MOs and objects. Everything is a pure function of the index: two runs seed the
// same tree byte for byte.
//
// The change's tenant, VRF, domains and the first five nodes are the default scenario's, so
// examples/onboard-prod-a.yaml and examples/add-pool-blue.yaml apply unchanged:
//   - the external EPGs and ESGs of the VRF stop one short of the limits the capacity rules
//     enforce (600 per fabric, 4000 per VRF): the onboarding's own one reaches the limit exactly;
//   - IP selectors are counted fabric-wide against the 5000-per-leaf limit (the facts do not say
//     on which leaves a VRF is deployed), so the fabric holds 4 990 of them, in the VRF;
//   - policy CAM of every leaf sits at about 75 % (the rule's ceiling is 80 %).

export const scaleSizes = {
  leaves: 200,
  spines: 4,
  tenants: 100,
  bridgeDomains: 1000,
  /** Existing L3Outs on the change's VRF (the onboarding adds prod-a-l3out). */
  l3outs: 10,
  /** External EPGs on those L3Outs together: one short of the fabric-wide 600. */
  externalEpgs: 599,
  /** ESGs scoped to the change's VRF: one short of the 4000 per VRF. */
  esgs: 3999,
  ipSelectors: 4990,
  bgpPeerEntries: 1500,
  /** policy-CAM entries per leaf before anything classifies traffic (cap 61 440). */
  policyCamBase: 33600,
  nodes: 500,
  /** Nodes labelled bgp=enabled: they peer with the anchors (101, 102). */
  bgpNodes: 64,
  services: 5000,
  loadBalancerServices: 200,
  pools: 200,
  egressPolicies: 100,
} as const;

/** Leaves 101…300; the first two are the onboarding's anchors. */
export const scaleLeafIds: readonly number[] = Array.from({ length: scaleSizes.leaves }, (_, i) => 101 + i);

export interface ScaleNode {
  name: string;
  ip: string;
  leaf: number;
  port: string;
  labels: Record<string, string>;
  controlPlane: boolean;
  podCidr: string;
}

/**
 * The cluster's 500 nodes. prod-a-cp1 and prod-a-w1…w4 are the default scenario's (same IPs,
 * leaves and labels); w5…w63 are more BGP nodes in the peering subnet on leaves 101–104; the
 * rest sit in 192.168.8.0/21 behind leaves 105–300, two control planes among them.
 */
export function scaleNodes(): ScaleNode[] {
  const out: ScaleNode[] = [];
  for (let i = 0; i < scaleSizes.nodes; i += 1) {
    const cp = i === 0 || i === 498 || i === 499;
    const name = i === 0 ? 'prod-a-cp1' : cp ? `prod-a-cp${i - 496}` : `prod-a-w${i}`;
    const bgp = !cp && i < scaleSizes.bgpNodes;
    const labels: Record<string, string> = cp ? { 'node-role.kubernetes.io/control-plane': '' } : {};
    if (bgp) labels['bgp'] = 'enabled';
    if (i === 4) labels['egress-gateway'] = 'true';
    const defaultLeaf = [101, 101, 101, 102, 103][i];
    const inPeering = i < scaleSizes.bgpNodes;
    const leaf = defaultLeaf ?? (inPeering ? 101 + (i % 4) : 105 + (i % (scaleSizes.leaves - 4)));
    const ip = inPeering ? `192.168.2.${10 + i}` : `192.168.${8 + Math.floor(i / 250)}.${(i % 250) + 1}`;
    const port = `eth1/${10 + (i % 40)}`;
    out.push({ name, ip, leaf, port, labels, controlPlane: cp, podCidr: `10.244.${Math.floor(i / 2)}.${(i % 2) * 128}/25` });
  }
  // The default scenario's ports for the first five (cp1 on eth1/10, w1/w2 on 11/12, w3/w4 on 11).
  const ports = ['eth1/10', 'eth1/11', 'eth1/12', 'eth1/11', 'eth1/11'];
  ports.forEach((port, i) => {
    const node = out[i];
    if (node) node.port = port;
  });
  return out;
}
