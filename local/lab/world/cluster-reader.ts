import { isObject } from '../kubernetes/json.js';
import type { LabStore } from '../kubernetes/lab-store.js';
import type { ClusterObjects } from './cluster-objects.js';

// The lab process reads the emulated cluster in-process (no HTTP round trips on every BGP status
// pass); the `cilium` executable reads the same objects over the API (cilium-cli/cluster-api.ts).

function listKind(store: LabStore, kind: string): unknown[] {
  const api = store.storageVersionOf(kind);
  return api ? store.list(api, kind) : [];
}

export function clusterObjectsFromStore(store: LabStore, clusterName: string): ClusterObjects {
  return {
    clusterName,
    nodes: store.list('v1', 'Node'),
    clusterConfigs: listKind(store, 'CiliumBGPClusterConfig'),
    peerConfigs: listKind(store, 'CiliumBGPPeerConfig'),
    advertisements: listKind(store, 'CiliumBGPAdvertisement'),
    pools: listKind(store, 'CiliumLoadBalancerIPPool'),
    // The world routes to LoadBalancer services only; a cluster has thousands of the others.
    services: store.list('v1', 'Service', { where: (s) => isObject(s['spec']) && s['spec']['type'] === 'LoadBalancer' }),
    egressPolicies: listKind(store, 'CiliumEgressGatewayPolicy'),
    l2Policies: listKind(store, 'CiliumL2AnnouncementPolicy'),
    ciliumConfig: store.get('v1', 'ConfigMap', 'cilium-config', 'kube-system'),
    agents: store.get('apps/v1', 'DaemonSet', 'cilium', 'kube-system'),
    operator: store.get('apps/v1', 'Deployment', 'cilium-operator', 'kube-system'),
    agentPods: store.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=cilium' }),
  };
}
