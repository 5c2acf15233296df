import * as z from '../../zod.js';
import type { ChangeSpec } from '../../spec/index.js';
import { defaultCiliumNamespace } from '../manifests/names.js';
import { managedByLabel } from '../ownership.js';

// The cluster half of the `cluster.collect` payload (docs/architecture.md §2 step 3): everything the
// prechecks and the planner read, in one round trip. Cilium kinds are listed whole (no name) so
// that objects changeflow did not create — conflicting pools, BGPv1 policies — are seen too.

export const ClusterQuery = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.optional(z.string()),
  name: z.optional(z.string()),
  labelSelector: z.optional(z.string()),
  /**
   * The Cilium version is not known before collecting: try these apiVersions in order when the
   * first is not served (404 from discovery). A kind none of them serves is simply absent.
   */
  fallbackApiVersions: z.optional(z.array(z.string())),
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

/** `k=v,k2=v2` for a label set; undefined for an empty one (it selects everything). */
function labelSelectorOf(labels: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(labels);
  // io.kubernetes.service.* are not labels: LB-IPAM and the L2 announcer add them to what a selector sees.
  if (entries.length === 0 || entries.some(([k]) => k.startsWith('io.kubernetes.service.'))) return undefined;
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * Lists filtered on the API server by the spec's own selectors (issue 20: 500 Nodes and 5 000
 * Services are not the facts of one change): one list per selector, the whole kind when a
 * selector selects everything; none when no change of the spec reads the kind.
 */
function selectedLists(kind: 'Node' | 'Service', selectors: ReadonlyArray<Readonly<Record<string, string>>>, whole: boolean): ClusterQuery[] {
  if (whole) return [{ apiVersion: 'v1', kind }];
  const parsed = selectors.map(labelSelectorOf);
  if (parsed.some((s) => s === undefined)) return [{ apiVersion: 'v1', kind }];
  return [...new Set(parsed as string[])].map((labelSelector) => ({ apiVersion: 'v1', kind, labelSelector }));
}

function nodeQueries(spec: ChangeSpec): ClusterQuery[] {
  const selectors = spec.changes.flatMap((c) =>
    c.type === 'bgpPeering' ? [c.nodeSelector] : c.type === 'egressGateway' ? [c.gatewayNodeSelector] : c.type === 'l2Announcement' ? [c.nodeSelector] : [],
  );
  // cilium-config's routing rules read every node.
  return selectedLists('Node', selectors, spec.changes.some((c) => c.type === 'ciliumConfig'));
}

function serviceQueries(spec: ChangeSpec): ClusterQuery[] {
  const selectors = spec.changes.flatMap((c) => (c.type === 'loadBalancerPool' || c.type === 'l2Announcement' ? [c.serviceSelector] : []));
  return selectors.length > 0 ? selectedLists('Service', selectors, false) : [];
}

export function clusterCollectQueries(spec: ChangeSpec, ciliumNamespace: string = defaultCiliumNamespace): ClusterQuery[] {
  const queries: ClusterQuery[] = [
    ...nodeQueries(spec),
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
    if (kind === 'Service') {
      if (kinds.has(kind)) queries.push(...serviceQueries(spec));
      continue;
    }
    if (kinds.has(kind) && query) queries.push(query);
  }
  // changeflow's own Secrets (a peering's BGP password), listed so that "none" is known too: the
  // agent keeps their metadata and drops their data.
  if (spec.changes.some((c) => c.type === 'bgpPeering' && c.password)) {
    queries.push({ apiVersion: 'v1', kind: 'Secret', namespace: ciliumNamespace, labelSelector: `${managedByLabel.key}=${managedByLabel.value}` });
  }
  return queries;
}
