import * as z from 'zod';
import type { ChangeSpec } from '../../spec/index.js';
import { defaultCiliumNamespace } from '../manifests/names.js';

// The cluster half of the `cluster.collect` payload (docs/architecture.md §2 step 3): everything the
// prechecks and the planner read, in one round trip. Cilium kinds are listed whole (no name) so
// that objects changeflow did not create — conflicting pools, BGPv1 policies — are seen too.

export const ClusterQuery = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  labelSelector: z.string().optional(),
  /**
   * The Cilium version is not known before collecting: try these apiVersions in order when the
   * first is not served (404 from discovery). A kind none of them serves is simply absent.
   */
  fallbackApiVersions: z.array(z.string()).optional(),
});
export type ClusterQuery = z.infer<typeof ClusterQuery>;

const v2First = { apiVersion: 'cilium.io/v2', fallbackApiVersions: ['cilium.io/v2alpha1'] };

const byKind: Record<string, ClusterQuery> = {
  CiliumBGPClusterConfig: { ...v2First, kind: 'CiliumBGPClusterConfig' },
  CiliumBGPPeerConfig: { ...v2First, kind: 'CiliumBGPPeerConfig' },
  CiliumBGPAdvertisement: { ...v2First, kind: 'CiliumBGPAdvertisement' },
  CiliumBGPNodeConfig: { ...v2First, kind: 'CiliumBGPNodeConfig' },
  // Only served up to 1.18; on 1.19+ the kind is gone and the query yields nothing.
  CiliumBGPPeeringPolicy: { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumBGPPeeringPolicy' },
  CiliumLoadBalancerIPPool: { ...v2First, kind: 'CiliumLoadBalancerIPPool' },
  CiliumEgressGatewayPolicy: { apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy' },
  CiliumL2AnnouncementPolicy: { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumL2AnnouncementPolicy' },
  // All namespaces; the facts keep only type LoadBalancer.
  Service: { apiVersion: 'v1', kind: 'Service' },
};

const kindsPerChange: Record<ChangeSpec['changes'][number]['type'], string[]> = {
  // The pools: a re-applied PeerConfig must keep their families (cluster.bgp.pool-families).
  bgpPeering: ['CiliumBGPClusterConfig', 'CiliumBGPPeerConfig', 'CiliumBGPAdvertisement', 'CiliumBGPPeeringPolicy', 'CiliumBGPNodeConfig', 'CiliumLoadBalancerIPPool'],
  // The PeerConfig: the pool's families must be among those it lists (cluster.pool.bgp-family).
  loadBalancerPool: ['CiliumLoadBalancerIPPool', 'CiliumBGPAdvertisement', 'CiliumBGPPeerConfig', 'Service'],
  egressGateway: ['CiliumEgressGatewayPolicy'],
  l2Announcement: ['CiliumL2AnnouncementPolicy', 'CiliumLoadBalancerIPPool', 'Service'],
  ciliumConfig: [],
};

export function clusterCollectQueries(spec: ChangeSpec, ciliumNamespace: string = defaultCiliumNamespace): ClusterQuery[] {
  const queries: ClusterQuery[] = [
    { apiVersion: 'v1', kind: 'Node' },
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: ciliumNamespace, name: 'cilium-config' },
    // The image tags carry the Cilium version.
    { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: ciliumNamespace, name: 'cilium' },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ciliumNamespace, name: 'cilium-operator' },
    // Every CRD: the facts keep the cilium.io ones. A label selector on the schema-version label
    // would miss CRDs installed without it.
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
  ];
  const kinds = new Set(spec.changes.flatMap((c) => kindsPerChange[c.type]));
  for (const kind of Object.keys(byKind)) {
    const query = byKind[kind];
    if (kinds.has(kind) && query) queries.push(query);
  }
  return queries;
}
