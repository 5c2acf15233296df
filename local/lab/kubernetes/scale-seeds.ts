import { scaleSizes } from '../scale-scenario.js';
import type { JsonObject } from './json.js';
import type { Seed } from './seeds.js';

// What the `scale` cluster runs besides the default scenario's objects (local/lab/scale-scenario.ts):
// 5 000 Services in 50 namespaces (200 of them LoadBalancer), 200 LoadBalancer IP pools each with
// the BGP advertisement of its services, written by another team's tooling (not changeflow's
// labels), and 100 egress gateway policies. Addresses stay clear of the default examples'.

const four = (n: number): string => String(n).padStart(4, '0');
const three = (n: number): string => String(n).padStart(3, '0');
const namespaces = 50;
const nsOf = (i: number): string => `scale-ns-${String(i % namespaces).padStart(2, '0')}`;
const manager = 'platform-gitops';

export function scaleSeeds(): Seed[] {
  const out: Seed[] = [];
  for (let n = 0; n < namespaces; n += 1) {
    const name = nsOf(n);
    out.push({
      manager: 'kube-apiserver',
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] } },
      status: { phase: 'Active' },
      statusManager: 'kube-apiserver',
    });
  }
  // The default scenario already has three Services (kubernetes, shop/frontend, shop/checkout).
  for (let i = 0; i < scaleSizes.services - 3; i += 1) out.push(service(i));
  for (let p = 0; p < scaleSizes.pools; p += 1) out.push(...pool(p));
  for (let e = 0; e < scaleSizes.egressPolicies; e += 1) out.push(egressPolicy(e));
  return out;
}

function service(i: number): Seed {
  const lb = i < scaleSizes.loadBalancerServices;
  const clusterIP = `10.97.${i >> 8}.${i & 255}`;
  const labels: Record<string, string> = { app: `app-${four(i)}`, ...(lb ? { pool: `scale-pool-${three(i)}` } : {}) };
  const spec: JsonObject = {
    type: lb ? 'LoadBalancer' : 'ClusterIP', clusterIP, clusterIPs: [clusterIP], selector: { app: labels['app'] ?? '' },
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, ...(lb ? { nodePort: 30000 + i } : {}) }],
    ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None',
    ...(lb ? { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true } : {}),
  };
  return { manager, object: { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${four(i)}`, namespace: nsOf(i), labels }, spec } };
}

function pool(p: number): Seed[] {
  const name = `scale-pool-${three(p)}`;
  const selector = { matchLabels: { pool: name } };
  return [
    {
      manager,
      object: { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name }, spec: { blocks: [{ cidr: `10.128.${p}.0/27` }], serviceSelector: selector } },
    },
    {
      manager,
      object: {
        apiVersion: 'cilium.io/v2', kind: 'CiliumBGPAdvertisement', metadata: { name: `${name}-services`, labels: { advertise: 'platform-bgp' } },
        spec: { advertisements: [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] }, selector }] },
      },
    },
  ];
}

function egressPolicy(e: number): Seed {
  return {
    manager,
    object: {
      apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy', metadata: { name: `scale-egress-${three(e)}` },
      spec: {
        selectors: [{ podSelector: { matchLabels: { app: `app-${four(e)}`, 'io.kubernetes.pod.namespace': nsOf(e) } } }],
        destinationCIDRs: [`10.220.${e}.0/24`],
        egressGateway: { nodeSelector: { matchLabels: { 'egress-gateway': 'true' } }, egressIP: `192.168.12.${e + 1}` },
      },
    },
  };
}
