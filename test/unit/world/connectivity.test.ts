import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../local/lab/world/cluster-snapshot.js';
import { connectivitySuite } from '../../../local/lab/world/connectivity.js';
import { actionString, testFailed, type Suite } from '../../../local/lab/world/connectivity-suite.js';
import type { FabricSnapshot } from '../../../local/lab/world/fabric-snapshot.js';
import { bgpSessions } from '../../../local/lab/world/sessions.js';
import { agreedCluster, agreedFabric } from './snapshots.js';

// Connectivity verdicts fail on what is really broken, each in the test that exercises it.

const now = new Date('2025-11-23T05:00:00Z');

function suite(fabric: FabricSnapshot, cluster: ClusterSnapshot, fault?: string): Suite {
  return connectivitySuite(fabric, cluster, bgpSessions(fabric, cluster, { neverEstablish: false }), { namespace: 'cilium-test-1', fault, now });
}

function failing(s: Suite): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of s.tests.filter(testFailed)) {
    out[t.name] = t.scenarios.flatMap((sc) => sc.actions.filter((a) => a.failure).map((a) => a.failure ?? ''));
  }
  return out;
}

const egress = (egressIp?: string, gateway: Record<string, string> = { 'egress-gateway': 'true' }) => ({
  name: 'frontend-egress', egressIp, gatewaySelectors: [{ matchLabels: gateway }], destinationCidrs: ['10.10.10.0/24'], namespace: 'shop', podLabels: { app: 'frontend' },
});

describe('connectivitySuite', () => {
  it('passes every test on an agreed fabric and cluster, in cilium-cli order with real test names', () => {
    const s = suite(agreedFabric(), agreedCluster());
    expect(failing(s)).toEqual({});
    expect(s.tests.map((t) => t.name)).toEqual([
      'no-policies', 'no-policies-from-outside', 'allow-all-except-world', 'client-ingress', 'client-egress', 'to-entities-world', 'to-cidr-external',
      'north-south-loadbalancing', 'bgp-control-plane-v2', 'egress-gateway', 'l2-announcement', 'no-unexpected-packet-drops', 'check-log-errors',
    ]);
    expect(s.tests.find((t) => t.name === 'egress-gateway')?.skip).toBe('skipped by condition');
    expect(s.ciliumVersion).toBe('1.18.2');
  });

  it('fails north-south-loadbalancing when the pool block is not imported on the L3Out', () => {
    const fabric = agreedFabric();
    fabric.externalSubnets = [];
    expect(failing(suite(fabric, agreedCluster()))).toEqual({
      'north-south-loadbalancing': [expect.stringMatching(/exit code 28 \(lab: block 10\.0\.10\.0\/24 of pool pool-red is not imported on uni\/tn-k8s-prod-a\/out-prod-a-l3out/)],
    });
  });

  it('fails north-south-loadbalancing when no advertisement selects the service', () => {
    const cluster = agreedCluster();
    cluster.advertisements = [];
    expect(failing(suite(agreedFabric(), cluster))['north-south-loadbalancing']).toEqual([expect.stringMatching(/no CiliumBGPAdvertisement on a BGP peer selects service shop\/frontend/)]);
  });

  it('does not fail north-south for a service that an L2 policy announces instead', () => {
    const cluster = agreedCluster();
    cluster.advertisements = [];
    cluster.l2Policies = [{ name: 'l2-red', serviceSelector: { matchLabels: { color: 'red' } }, loadBalancerIPs: true, externalIPs: false }];
    const s = suite(agreedFabric(), cluster);
    expect(failing(s)).toEqual({});
    expect(s.tests.find((t) => t.name === 'l2-announcement')?.scenarios[0]?.actions).toHaveLength(1);
  });

  it("exercises changeflow's pools and address-less pools, and leaves another team's pool to that team", () => {
    // An unadvertised Service from another team's pool (their tooling, their peering): not curled.
    const cluster = agreedCluster();
    cluster.pools.push({ name: 'team-b', labels: { 'app.kubernetes.io/managed-by': 'platform-gitops' }, blocks: [{ cidr: '10.128.0.0/27' }], disabled: false, conflict: false });
    cluster.services.push({ namespace: 'team-b', name: 'api', labels: { app: 'api' }, type: 'LoadBalancer', lbIps: ['10.128.0.1'], port: 80 });
    const s = suite(agreedFabric(), cluster);
    expect(failing(s)).toEqual({});
    expect(s.tests.find((t) => t.name === 'north-south-loadbalancing')?.scenarios[0]?.actions.map((a) => a.dst?.address)).toEqual(['10.0.10.0']);
    // The same pool written by changeflow is curled, and fails: nothing advertises it.
    cluster.pools.at(-1)!.labels = { 'app.kubernetes.io/managed-by': 'changeflow' };
    expect(failing(suite(agreedFabric(), cluster))['north-south-loadbalancing']).toEqual([expect.stringMatching(/no CiliumBGPAdvertisement on a BGP peer selects service team-b\/api, so 10\.128\.0\.1 is never advertised/)]);
    // An address that no pool holds is curled too.
    cluster.pools.pop();
    expect(failing(suite(agreedFabric(), cluster))['north-south-loadbalancing']).toEqual([expect.stringMatching(/team-b\/api, so 10\.128\.0\.1 is never advertised/)]);
  });

  it('fails bgp-control-plane-v2 and north-south when the sessions are down, naming the cause', () => {
    const cluster = agreedCluster();
    for (const p of cluster.clusterConfigs[0]!.instances[0]!.peers) p.peerASN = 65002;
    const failures = failing(suite(agreedFabric(), cluster));
    expect(Object.keys(failures)).toEqual(['north-south-loadbalancing', 'bgp-control-plane-v2']);
    expect(failures['bgp-control-plane-v2']).toHaveLength(8);
    expect(failures['bgp-control-plane-v2']?.[0]).toBe('BGP session is active, expected established (lab: peer anchor-101 expects AS 65002 but the fabric opens with AS 65001)');
    expect(failures['north-south-loadbalancing']?.[0]).toMatch(/no established BGP session advertises 10\.0\.10\.0 \(prod-a-w1→192\.168\.2\.1 active/);
  });

  it('fails egress-gateway while the egress IP is not classified, and passes once an ESG selects it', () => {
    const cluster = agreedCluster();
    cluster.egressPolicies = [egress('192.168.3.200')];
    const fabric = agreedFabric();
    expect(failing(suite(fabric, cluster))['egress-gateway']).toEqual([expect.stringMatching(/egress IP 192\.168\.3\.200 \(gateway prod-a-w4\) is not classified on the fabric/)]);
    fabric.esgSelectors = [{ esgDn: 'uni/tn-k8s-prod-a/ap-egress/esg-frontend', ip: '192.168.3.200/32', vrf: 'vrf-1' }];
    expect(failing(suite(fabric, cluster))).toEqual({});
    // An ESG without its VRF scope classifies nothing.
    fabric.esgSelectors = [{ esgDn: 'uni/tn-k8s-prod-a/ap-egress/esg-frontend', ip: '192.168.3.200/32' }];
    expect(Object.keys(failing(suite(fabric, cluster)))).toEqual(['egress-gateway']);
  });

  it('fails egress-gateway when the selected IP is no endpoint a BD of the VRF learns: outside every BD subnet, or on the peering subnet', () => {
    const cluster = agreedCluster();
    const fabric = agreedFabric();
    fabric.bdSubnets = [];
    cluster.egressPolicies = [egress('192.168.3.200')];
    fabric.esgSelectors = [{ esgDn: 'uni/tn-k8s-prod-a/ap-egress/esg-frontend', ip: '192.168.3.200/32', vrf: 'vrf-1' }];
    expect(failing(suite(fabric, cluster))['egress-gateway']).toEqual([expect.stringMatching(/egress IP 192\.168\.3\.200 .* is not classified/)]);
    // A BD subnet over the peering subnet does not help: hosts there sit behind the floating SVI.
    const onSvi = agreedFabric();
    onSvi.bdSubnets = [{ bdDn: 'uni/tn-k8s-prod-a/BD-wide', ip: '192.168.0.1/16', vrf: 'vrf-1' }];
    onSvi.esgSelectors = [{ esgDn: 'uni/tn-k8s-prod-a/ap-egress/esg-frontend', ip: '192.168.2.200/32', vrf: 'vrf-1' }];
    cluster.egressPolicies = [egress('192.168.2.200')];
    expect(Object.keys(failing(suite(onSvi, cluster)))).toEqual(['egress-gateway']);
  });

  it('fails egress-gateway when no node matches the gateway selector, or egressIP and interface are both set', () => {
    const cluster = agreedCluster();
    cluster.egressPolicies = [egress(undefined, { 'egress-gateway': 'nowhere' })];
    expect(failing(suite(agreedFabric(), cluster))['egress-gateway']?.[0]).toMatch(/no node matches the egressGateway nodeSelector of frontend-egress/);
    cluster.egressPolicies = [{ ...egress('192.168.3.200'), interface: 'eth1' }];
    expect(failing(suite(agreedFabric(), cluster))['egress-gateway']?.[0]).toMatch(/sets both egressIP and interface/);
  });

  it('skips egress-gateway with the real reason when the feature is off', () => {
    const cluster = agreedCluster();
    cluster.egressPolicies = [egress('192.168.3.200')];
    cluster.config['enable-egress-gateway'] = 'false';
    expect(suite(agreedFabric(), cluster).tests.find((t) => t.name === 'egress-gateway')?.skip).toBe('Feature enable-egress-gateway is disabled');
  });

  it('fails l2-announcement when no node matches the policy', () => {
    const cluster = agreedCluster();
    cluster.l2Policies = [{ name: 'l2-red', nodeSelector: { matchLabels: { l2: 'true' } }, serviceSelector: { matchLabels: { color: 'red' } }, loadBalancerIPs: true, externalIPs: false }];
    expect(failing(suite(agreedFabric(), cluster))['l2-announcement']?.[0]).toMatch(/no node matches the nodeSelector of CiliumL2AnnouncementPolicy l2-red/);
  });

  it('fails check-log-errors on every agent while cilium-config changes are not rolled out', () => {
    const cluster = agreedCluster();
    cluster.pendingConfigKeys = ['bpf-lb-algorithm', 'bpf-lb-mode'];
    const failures = failing(suite(agreedFabric(), cluster))['check-log-errors'] ?? [];
    expect(failures).toHaveLength(5);
    expect(failures[0]).toMatch(/^Found 1 logs in kubernetes\/kube-system\/cilium-abcde \(cilium-agent\) matching list of errors that must be investigated:\ntime=2025-11-23T05:00:00\.000000000Z level=error .* keys=bpf-lb-algorithm,bpf-lb-mode \(1 occurrences\)/);
  });

  it('fails one pod-to-pod action under cilium.connectivity=fail and marks the run as hanging under =hang', () => {
    const failed = suite(agreedFabric(), agreedCluster(), 'fail');
    const test = failed.tests.find(testFailed);
    const scenario = test?.scenarios[0];
    const action = scenario?.actions.find((a) => a.failure);
    expect(test?.name).toBe('no-policies');
    expect(action && actionString('no-policies', scenario?.name ?? '', action)).toMatch(
      /^no-policies\/pod-to-pod:curl-ipv4-1: cilium-test-1\/client-[a-z0-9]{10}-[a-z0-9]{5} \(10\.244\.1\.21\) -> cilium-test-1\/echo-same-node-[a-z0-9]{10}-[a-z0-9]{5} \(10\.244\.1\.23:8080\)$/,
    );
    expect(suite(agreedFabric(), agreedCluster(), 'hang').hang).toBe(true);
  });
});
