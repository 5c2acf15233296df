import type { ClusterObjects } from '../world/cluster-objects.js';
import type { KubeApi } from './kube-api.js';

// The objects the lab `cilium` reads over the Kubernetes API — the same set the world reads
// in-process (world/cluster-reader.ts), so both build the same ClusterSnapshot.

/** A cilium.io list at v2, or at v2alpha1 where the cluster serves only that (L2 policies, Cilium ≤ 1.17). */
export async function listCilium(api: KubeApi, plural: string): Promise<unknown[]> {
  const v2 = await api.find(`/apis/cilium.io/v2/${plural}`);
  if (v2 !== undefined) return ((v2 as { items?: unknown[] }).items ?? []);
  return api.list(`/apis/cilium.io/v2alpha1/${plural}`);
}

export async function clusterObjectsFromApi(api: KubeApi, clusterName: string): Promise<ClusterObjects> {
  const [nodes, clusterConfigs, peerConfigs, advertisements, pools, services, egressPolicies, l2Policies, ciliumConfig, agents, operator, agentPods] = await Promise.all([
    api.list('/api/v1/nodes'),
    listCilium(api, 'ciliumbgpclusterconfigs'),
    listCilium(api, 'ciliumbgppeerconfigs'),
    listCilium(api, 'ciliumbgpadvertisements'),
    listCilium(api, 'ciliumloadbalancerippools'),
    api.list('/api/v1/services'),
    listCilium(api, 'ciliumegressgatewaypolicies'),
    listCilium(api, 'ciliuml2announcementpolicies'),
    api.find('/api/v1/namespaces/kube-system/configmaps/cilium-config'),
    api.find('/apis/apps/v1/namespaces/kube-system/daemonsets/cilium'),
    api.find('/apis/apps/v1/namespaces/kube-system/deployments/cilium-operator'),
    api.list('/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium'),
  ]);
  return { clusterName, nodes, clusterConfigs, peerConfigs, advertisements, pools, services, egressPolicies, l2Policies, ciliumConfig, agents, operator, agentPods };
}
