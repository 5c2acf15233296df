import { describe, expect, it } from 'vitest';
import { clusterSnapshot } from '../../../local/lab/world/cluster-objects.js';
import { dumpReader, readFabric } from '../../../local/lab/world/fabric-snapshot.js';

// The world reads both emulators into plain snapshots: the APIC policy dump and Kubernetes objects.

const out = 'uni/tn-k8s-prod-a/out-prod-a-l3out';
const svi = `${out}/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-101]-[vlan-300]`;
const dump: Record<string, Record<string, Record<string, string>>> = {
  'uni/fabric/bgpInstP-default/as': { bgpAsP: { asn: '65001' } },
  [out]: { l3extOut: { name: 'prod-a-l3out' } },
  [`${out}/rsectx`]: { l3extRsEctx: { tnFvCtxName: 'vrf-1' } },
  [svi]: { l3extVirtualLIfP: { nodeDn: 'topology/pod-1/node-101', addr: '192.168.2.1/24', encap: 'vlan-300' } },
  [`${svi}/rsdynPathAtt-[uni/phys-k8s-phys]`]: { l3extRsDynPathAtt: { tDn: 'uni/phys-k8s-phys', floatingAddr: '192.168.2.254/24' } },
  [`${svi}/peerP-[192.168.2.0/24]`]: { bgpPeerP: { addr: '192.168.2.0/24' } },
  [`${svi}/peerP-[192.168.2.0/24]/as`]: { bgpAsP: { asn: '64512' } },
  [`${out}/instP-default_svc/extsubnet-[10.0.10.0/24]`]: { l3extSubnet: { ip: '10.0.10.0/24', scope: 'import-security,shared-security' } },
  'uni/tn-k8s-prod-a/BD-k8s-egress': { fvBD: { name: 'k8s-egress' } },
  'uni/tn-k8s-prod-a/BD-k8s-egress/rsctx': { fvRsCtx: { tnFvCtxName: 'vrf-1' } },
  'uni/tn-k8s-prod-a/BD-k8s-egress/subnet-[192.168.3.1/24]': { fvSubnet: { ip: '192.168.3.1/24' } },
  'uni/tn-k8s-prod-a/ap-egress/esg-frontend/rsscope': { fvRsScope: { tnFvCtxName: 'vrf-1' } },
  "uni/tn-k8s-prod-a/ap-egress/esg-frontend/epselector-[ip=='192.168.3.200/32']": { fvEPSelector: { matchExpression: "ip=='192.168.3.200/32'" } },
};

describe('readFabric', () => {
  it('reads the fabric AS, floating SVIs with their peers, external subnets, ESG IP selectors and BD subnets', () => {
    expect(readFabric(dumpReader(dump))).toEqual({
      fabricAsn: 65001,
      svis: [{
        dn: svi, podId: '1', nodeId: '101', tenant: 'k8s-prod-a', l3outDn: out, vrf: 'vrf-1', address: '192.168.2.1/24', encap: 'vlan-300',
        floatingAddr: '192.168.2.254/24', peers: [{ prefix: '192.168.2.0/24', remoteAsn: 64512 }],
      }],
      externalSubnets: [{ l3outDn: out, vrf: 'vrf-1', instP: 'default_svc', ip: '10.0.10.0/24', scopes: ['import-security', 'shared-security'] }],
      esgSelectors: [{ esgDn: 'uni/tn-k8s-prod-a/ap-egress/esg-frontend', ip: '192.168.3.200/32', vrf: 'vrf-1' }],
      bdSubnets: [{ bdDn: 'uni/tn-k8s-prod-a/BD-k8s-egress', ip: '192.168.3.1/24', vrf: 'vrf-1' }],
    });
  });
});

describe('clusterSnapshot', () => {
  it('reads nodes, BGP objects with Cilium defaults, pools, services and egress policies from Kubernetes objects', () => {
    const snap = clusterSnapshot({
      clusterName: 'prod-a',
      nodes: [{ metadata: { name: 'w1', labels: { bgp: 'enabled' } }, status: { addresses: [{ type: 'InternalIP', address: '192.168.2.11' }], conditions: [{ type: 'Ready', status: 'True' }] } }],
      clusterConfigs: [{ metadata: { name: 'bgp' }, spec: { bgpInstances: [{ name: 'i', localASN: 64512, peers: [{ name: 'p', peerAddress: '192.168.2.1', peerASN: 65001, peerConfigRef: { name: 'pc' } }] }] } }],
      peerConfigs: [{ metadata: { name: 'pc' }, spec: {} }],
      advertisements: [],
      pools: [{ metadata: { name: 'red' }, spec: { blocks: [{ cidr: '10.0.10.0/24' }] }, status: { conditions: [{ type: 'cilium.io/PoolConflict', status: 'True' }] } }],
      services: [{ metadata: { name: 'frontend', namespace: 'shop' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] }, status: { loadBalancer: { ingress: [{ ip: '10.0.10.0' }] } } }],
      egressPolicies: [{ metadata: { name: 'eg' }, spec: { selectors: [{ podSelector: { matchLabels: { app: 'frontend', 'io.kubernetes.pod.namespace': 'shop' } } }], destinationCIDRs: ['10.10.10.0/24'], egressGateway: { nodeSelector: { matchLabels: { gw: 'true' } }, egressIP: '192.168.3.200' } } }],
      l2Policies: [],
      agentPods: [{ metadata: { name: 'junk' } }, 'not an object'],
    });
    expect(snap.nodes).toEqual([{ name: 'w1', ip: '192.168.2.11', labels: { bgp: 'enabled' }, ready: true, podCidr: undefined }]);
    expect(snap.clusterConfigs[0]?.nodeSelector).toBeUndefined();
    expect(snap.peerConfigs[0]).toMatchObject({ families: [{ afi: 'ipv4', safi: 'unicast' }, { afi: 'ipv6', safi: 'unicast' }], holdTimeSeconds: 90, peerPort: 179 });
    expect(snap.pools[0]?.conflict).toBe(true);
    expect(snap.services[0]).toMatchObject({ lbIps: ['10.0.10.0'], port: 80 });
    expect(snap.egressPolicies[0]).toMatchObject({ egressIp: '192.168.3.200', namespace: 'shop', podLabels: { app: 'frontend' } });
    expect(snap.agentPods).toEqual([{ name: 'junk', node: '', ip: undefined, running: false }]);
  });
});
