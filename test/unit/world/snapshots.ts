import type { ClusterSnapshot } from '../../../local/lab/world/cluster-snapshot.js';
import type { FabricSnapshot } from '../../../local/lab/world/fabric-snapshot.js';

// The default lab scenario after a correct onboarding, as plain snapshots: anchors 101/102 with a
// floating SVI on 192.168.2.0/24 (remote AS 64512), and the bgp=enabled workers peering with them
// (local AS 64512, peer AS 65001), the egress BD's subnet 192.168.3.1/24 in vrf-1. Tests break
// one thing at a time.

const l3outDn = 'uni/tn-k8s-prod-a/out-prod-a-l3out';

export function agreedFabric(): FabricSnapshot {
  return {
    fabricAsn: 65001,
    svis: [101, 102].map((n, i) => ({
      dn: `${l3outDn}/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-${n}]-[vlan-300]`,
      podId: '1', nodeId: String(n), tenant: 'k8s-prod-a', l3outDn, vrf: 'vrf-1',
      address: `192.168.2.${i + 1}/24`, encap: 'vlan-300', floatingAddr: '192.168.2.254/24',
      peers: [{ prefix: '192.168.2.0/24', remoteAsn: 64512 }],
    })),
    externalSubnets: [{ l3outDn, vrf: 'vrf-1', instP: 'default_svc', ip: '10.0.10.0/24', scopes: ['import-security'] }],
    esgSelectors: [],
    bdSubnets: [{ bdDn: 'uni/tn-k8s-prod-a/BD-k8s-egress', ip: '192.168.3.1/24', vrf: 'vrf-1' }],
  };
}

const node = (name: string, ip: string, labels: Record<string, string>, podCidr: string) => ({ name, ip, labels, ready: true, podCidr });

export function agreedCluster(): ClusterSnapshot {
  const workerLabels = { bgp: 'enabled' };
  return {
    clusterName: 'prod-a',
    nodes: [
      node('prod-a-cp1', '192.168.2.10', { 'node-role.kubernetes.io/control-plane': '' }, '10.244.0.0/24'),
      node('prod-a-w1', '192.168.2.11', workerLabels, '10.244.1.0/24'),
      node('prod-a-w2', '192.168.2.12', workerLabels, '10.244.2.0/24'),
      node('prod-a-w3', '192.168.2.13', workerLabels, '10.244.3.0/24'),
      node('prod-a-w4', '192.168.2.14', { ...workerLabels, 'egress-gateway': 'true' }, '10.244.4.0/24'),
    ],
    clusterConfigs: [{
      name: 'prod-a-bgp',
      nodeSelector: { matchLabels: { bgp: 'enabled' } },
      instances: [{
        name: 'instance-64512', localASN: 64512,
        peers: [
          { name: 'anchor-101', peerAddress: '192.168.2.1', peerASN: 65001, peerConfigRef: 'prod-a-anchors' },
          { name: 'anchor-102', peerAddress: '192.168.2.2', peerASN: 65001, peerConfigRef: 'prod-a-anchors' },
        ],
      }],
    }],
    peerConfigs: [{
      name: 'prod-a-anchors', families: [{ afi: 'ipv4', safi: 'unicast', advertisements: { matchLabels: { advertise: 'prod-a-lb' } } }],
      holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 120, ebgpMultihop: 1, peerPort: 179,
    }],
    advertisements: [{ name: 'prod-a-lb', labels: { advertise: 'prod-a-lb' }, entries: [{ type: 'Service', addresses: ['LoadBalancerIP'], selector: { matchLabels: { color: 'red' } } }] }],
    pools: [{ name: 'pool-red', labels: { 'app.kubernetes.io/managed-by': 'changeflow' }, blocks: [{ cidr: '10.0.10.0/24' }], serviceSelector: { matchLabels: { color: 'red' } }, disabled: false, conflict: false }],
    services: [
      { namespace: 'shop', name: 'frontend', labels: { app: 'frontend', color: 'red' }, type: 'LoadBalancer', lbIps: ['10.0.10.0'], port: 80 },
      { namespace: 'shop', name: 'checkout', labels: { app: 'checkout', color: 'blue' }, type: 'LoadBalancer', lbIps: [], port: 80 },
    ],
    egressPolicies: [],
    l2Policies: [],
    config: { 'enable-bgp-control-plane': 'true', 'enable-egress-gateway': 'true', 'enable-l2-announcements': 'true' },
    agents: { desired: 5, ready: 5, available: 5, updated: 5, generation: 1, observedGeneration: 1, image: 'quay.io/cilium/cilium:v1.18.2' },
    agentPods: ['a', 'b', 'c', 'd', 'e'].map((x, i) => ({ name: `cilium-${x}bcde`, node: `n${i}`, running: true })),
    pendingConfigKeys: [],
  };
}
