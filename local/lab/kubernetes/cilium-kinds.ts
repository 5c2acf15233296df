import { ResourceDef } from './resources.js';

// cilium.io kinds as reference/cilium.md §1 lists them: plural, scope, short names, status
// subresource, and which versions a given Cilium minor serves. BGPv2 and LB-IPAM moved to v2 in
// 1.18 (v2alpha1 still served, deprecated); 1.19 dropped CiliumBGPPeeringPolicy.
interface CiliumKind {
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames: string[];
  status: boolean;
  categories: string[];
  /** Served versions and storage version by Cilium minor. */
  versions: (minor: number) => { served: string[]; storage: string; deprecated: string[] } | undefined;
}

const bgpV2 = (minor: number) =>
  minor >= 18
    ? { served: ['v2', 'v2alpha1'], storage: 'v2', deprecated: ['v2alpha1'] }
    : minor >= 16
      ? { served: ['v2alpha1'], storage: 'v2alpha1', deprecated: [] }
      : undefined;

const v2Only = () => ({ served: ['v2'], storage: 'v2', deprecated: [] });

export const ciliumKinds: ReadonlyArray<CiliumKind> = [
  { kind: 'CiliumBGPClusterConfig', plural: 'ciliumbgpclusterconfigs', namespaced: false, shortNames: ['cbgpcluster'], status: true, categories: ['cilium', 'ciliumbgp'], versions: bgpV2 },
  { kind: 'CiliumBGPPeerConfig', plural: 'ciliumbgppeerconfigs', namespaced: false, shortNames: ['cbgppeer'], status: true, categories: ['cilium', 'ciliumbgp'], versions: bgpV2 },
  { kind: 'CiliumBGPAdvertisement', plural: 'ciliumbgpadvertisements', namespaced: false, shortNames: ['cbgpadvert'], status: false, categories: ['cilium', 'ciliumbgp'], versions: bgpV2 },
  { kind: 'CiliumBGPNodeConfig', plural: 'ciliumbgpnodeconfigs', namespaced: false, shortNames: ['cbgpnode'], status: true, categories: ['cilium', 'ciliumbgp'], versions: bgpV2 },
  { kind: 'CiliumBGPNodeConfigOverride', plural: 'ciliumbgpnodeconfigoverrides', namespaced: false, shortNames: ['cbgpnodeoverride'], status: false, categories: ['cilium', 'ciliumbgp'], versions: bgpV2 },
  {
    kind: 'CiliumBGPPeeringPolicy', plural: 'ciliumbgppeeringpolicies', namespaced: false, shortNames: ['bgpp'], status: true, categories: ['cilium', 'ciliumbgp'],
    versions: (minor) => (minor <= 18 ? { served: ['v2alpha1'], storage: 'v2alpha1', deprecated: minor === 18 ? ['v2alpha1'] : [] } : undefined),
  },
  {
    kind: 'CiliumLoadBalancerIPPool', plural: 'ciliumloadbalancerippools', namespaced: false, shortNames: ['ippools', 'ippool', 'lbippool', 'lbippools'], status: true, categories: ['cilium'],
    versions: (minor) => (minor >= 18 ? { served: ['v2', 'v2alpha1'], storage: 'v2', deprecated: ['v2alpha1'] } : { served: ['v2alpha1'], storage: 'v2alpha1', deprecated: [] }),
  },
  { kind: 'CiliumEgressGatewayPolicy', plural: 'ciliumegressgatewaypolicies', namespaced: false, shortNames: ['cegp'], status: false, categories: ['cilium', 'ciliumpolicy'], versions: v2Only },
  {
    kind: 'CiliumL2AnnouncementPolicy', plural: 'ciliuml2announcementpolicies', namespaced: false, shortNames: ['l2announcement'], status: true, categories: ['cilium'],
    versions: () => ({ served: ['v2alpha1'], storage: 'v2alpha1', deprecated: [] }),
  },
  { kind: 'CiliumNetworkPolicy', plural: 'ciliumnetworkpolicies', namespaced: true, shortNames: ['cnp', 'ciliumnp'], status: true, categories: ['cilium', 'ciliumpolicy'], versions: v2Only },
  { kind: 'CiliumClusterwideNetworkPolicy', plural: 'ciliumclusterwidenetworkpolicies', namespaced: false, shortNames: ['ccnp'], status: true, categories: ['cilium', 'ciliumpolicy'], versions: v2Only },
];

/** The cilium.io resources a cluster running Cilium 1.<minor> serves. */
export function ciliumResources(minor: number): ResourceDef[] {
  const out: ResourceDef[] = [];
  for (const k of ciliumKinds) {
    const v = k.versions(minor);
    if (!v) continue;
    out.push(
      ResourceDef.parse({
        group: 'cilium.io', versions: v.served, storageVersion: v.storage, kind: k.kind, plural: k.plural,
        singular: k.kind.toLowerCase(), namespaced: k.namespaced, shortNames: k.shortNames, categories: k.categories,
        statusSubresource: k.status, generation: true, deprecatedVersions: v.deprecated,
      }),
    );
  }
  return out;
}
