// Scale limits of the design's 6.1(2) verified scalability numbers (reference/aci.md §4,
// datacenter/cilium-dc-design aci_tested_scale.md).
export const aciLimits = {
  extEpgsPerL3Out: 250,
  extEpgsFabric: 600,
  bgpPeersPerLeaf: 2000,
  anchorsPerFloatingL3Out: 6,
  nonAnchorsPerFloatingL3Out: 32,
  esgsPerVrf: 4000,
  ipSelectorsPerLeaf: 5000,
} as const;

/** Default policy-CAM headroom: fail when a leaf the change programs is above 80 % used. */
export const defaultPolicyCamHeadroomPct = 20;
