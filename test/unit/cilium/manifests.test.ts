import { describe, expect, it } from 'vitest';
import { apiVersionFor, isAtLeast, parseCiliumVersion, versionFromImage } from '../../../shared/cilium/version.js';
import { UnsupportedCiliumVersion } from '../../../shared/cilium/errors.js';
import { desiredClusterObjects } from '../../../shared/cilium/manifests/desired.js';
import { canonicalJson } from '../../../shared/canonical-json.js';
import type { KubeObject } from '../../../shared/plan/index.js';
import { bgpChange, configChange, egressChange, l2Change, onboardSpec, poolChange, specWith } from './cluster-fixtures.js';

const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const one = (objects: KubeObject[], kind: string) => {
  const found = byKind(objects, kind);
  expect(found).toHaveLength(1);
  return found[0] as KubeObject & { spec: Record<string, unknown> };
};

describe('Cilium versions', () => {
  it.each([
    ['quay.io/cilium/cilium:v1.18.2@sha256:858f807ea4e20e85e3ea3240a762e1f4b29f1cb5bbd0463b8aa77e7b097c0667', '1.18.2'],
    ['quay.io/cilium/cilium:v1.16.7', '1.16.7'],
    ['localhost:5000/cilium/cilium:1.19.0-pre.2', '1.19.0-pre.2'],
    ['quay.io/cilium/cilium:latest', undefined],
    ['quay.io/cilium/cilium@sha256:858f807ea4e20e85e3ea3240a762e1f4b29f1cb5bbd0463b8aa77e7b097c0667', undefined],
    ['localhost:5000/cilium', undefined],
  ])('reads the version of %s', (image, version) => {
    expect(versionFromImage(image)).toBe(version);
  });

  it('compares versions by major, minor and patch', () => {
    expect(parseCiliumVersion('v1.18.0-pre.3')).toEqual({ major: 1, minor: 18, patch: 0, pre: 'pre.3' });
    expect(isAtLeast('1.18.2', '1.18')).toBe(true);
    expect(isAtLeast('1.17.9', '1.18')).toBe(false);
    expect(isAtLeast('2.0.0', '1.19')).toBe(true);
    expect(isAtLeast('nonsense', '1.0')).toBe(false);
  });

  it.each([
    ['CiliumBGPClusterConfig', '1.18.2', 'cilium.io/v2'],
    ['CiliumBGPClusterConfig', '1.17.4', 'cilium.io/v2alpha1'],
    ['CiliumBGPAdvertisement', '1.16.0', 'cilium.io/v2alpha1'],
    ['CiliumLoadBalancerIPPool', '1.18.0', 'cilium.io/v2'],
    ['CiliumLoadBalancerIPPool', '1.17.4', 'cilium.io/v2alpha1'],
    ['CiliumL2AnnouncementPolicy', '1.20.0', 'cilium.io/v2alpha1'],
    ['CiliumEgressGatewayPolicy', '1.14.0', 'cilium.io/v2'],
    ['CiliumBGPPeeringPolicy', '1.18.5', 'cilium.io/v2alpha1'],
  ])('writes %s as of Cilium %s with %s', (kind, version, apiVersion) => {
    expect(apiVersionFor(kind, version)).toBe(apiVersion);
  });

  it.each([
    ['CiliumBGPClusterConfig', '1.15.9', /needs Cilium ≥ 1.16/],
    ['CiliumBGPPeeringPolicy', '1.19.0', /removed in Cilium 1.19 and is silently ignored/],
    ['CiliumBGPClusterConfig', 'v-next', /expected a Cilium version/],
    ['Pod', '1.18.0', /does not know which apiVersion/],
  ])('refuses %s on %s', (kind, version, message) => {
    expect(() => apiVersionFor(kind, version)).toThrow(UnsupportedCiliumVersion);
    expect(() => apiVersionFor(kind, version)).toThrow(message);
  });
});

describe('manifests', () => {
  it('turns bgpPeering into a PeerConfig and a ClusterConfig with one peer per anchor (v2 on 1.18)', () => {
    const objects = desiredClusterObjects(specWith([bgpChange]), '1.18.2');
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'cilium.io/v2 CiliumBGPPeerConfig aci-prod-a-l3out',
      'cilium.io/v2 CiliumBGPClusterConfig aci-prod-a-l3out',
    ]);
    const cluster = one(objects, 'CiliumBGPClusterConfig');
    expect(cluster.metadata).toEqual({ name: 'aci-prod-a-l3out', labels: { 'app.kubernetes.io/managed-by': 'changeflow' } });
    expect(cluster.spec).toEqual({
      nodeSelector: { matchLabels: { bgp: 'enabled' } },
      bgpInstances: [{
        name: 'aci',
        localASN: 64512,
        peers: [
          { name: 'leaf-101', peerAddress: '192.168.2.1', peerASN: 65001, peerConfigRef: { name: 'aci-prod-a-l3out' } },
          { name: 'leaf-102', peerAddress: '192.168.2.2', peerASN: 65001, peerConfigRef: { name: 'aci-prod-a-l3out' } },
        ],
      }],
    });
    expect(one(objects, 'CiliumBGPPeerConfig').spec).toEqual({
      timers: { holdTimeSeconds: 90, keepAliveTimeSeconds: 30, connectRetryTimeSeconds: 120 },
      gracefulRestart: { enabled: true, restartTimeSeconds: 120 },
      families: [{ afi: 'ipv4', safi: 'unicast', advertisements: { matchLabels: { advertise: 'changeflow-lb' } } }],
    });
  });

  it('carries no BFD on the cluster side even when the spec asks for BFD (Cilium OSS has none)', () => {
    const text = canonicalJson(desiredClusterObjects(specWith([{ ...bgpChange, bfd: true }]), '1.18.2'));
    expect(text.toLowerCase()).not.toContain('bfd');
  });

  it('uses the spec timers and can turn graceful restart off', () => {
    const objects = desiredClusterObjects(specWith([{ ...bgpChange, gracefulRestart: false, timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3 } }]), '1.18.2');
    expect(one(objects, 'CiliumBGPPeerConfig').spec).toMatchObject({
      timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 120 },
      gracefulRestart: { enabled: false },
    });
  });

  it('writes v2alpha1 with group and kind in peerConfigRef on 1.16–1.17', () => {
    const objects = desiredClusterObjects(specWith([bgpChange]), '1.17.4');
    expect(new Set(objects.map((o) => o.apiVersion))).toEqual(new Set(['cilium.io/v2alpha1']));
    const peers = (one(objects, 'CiliumBGPClusterConfig').spec['bgpInstances'] as Array<{ peers: Array<{ peerConfigRef: unknown }> }>)[0]?.peers;
    expect(peers?.[0]?.peerConfigRef).toEqual({ group: 'cilium.io', kind: 'CiliumBGPPeerConfig', name: 'aci-prod-a-l3out' });
  });

  it('refuses bgpPeering before 1.16', () => {
    expect(() => desiredClusterObjects(specWith([bgpChange]), '1.15.6')).toThrow(UnsupportedCiliumVersion);
  });

  it('turns a pool into a CiliumLoadBalancerIPPool and an advertisement of its LoadBalancer IPs only', () => {
    const objects = desiredClusterObjects(specWith([{ ...poolChange, allowFirstLastIPs: false }]), '1.18.2');
    expect(one(objects, 'CiliumLoadBalancerIPPool')).toMatchObject({
      apiVersion: 'cilium.io/v2',
      metadata: { name: 'pool-red' },
      spec: { blocks: [{ cidr: '10.0.10.0/24' }], serviceSelector: { matchLabels: { color: 'red' } }, allowFirstLastIPs: 'No' },
    });
    const ad = one(objects, 'CiliumBGPAdvertisement');
    expect(ad.metadata).toEqual({ name: 'lb-pool-red', labels: { 'app.kubernetes.io/managed-by': 'changeflow', advertise: 'changeflow-lb' } });
    expect(ad.spec).toEqual({ advertisements: [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] }, selector: { matchLabels: { color: 'red' } } }] });
    expect(canonicalJson(objects)).not.toContain('PodCIDR');
  });

  it('advertises every service with the never-matching NotIn trick when the pool selects all services', () => {
    const objects = desiredClusterObjects(specWith([{ ...poolChange, serviceSelector: {} }]), '1.18.2');
    expect(one(objects, 'CiliumLoadBalancerIPPool').spec).not.toHaveProperty('serviceSelector');
    const selector = (one(objects, 'CiliumBGPAdvertisement').spec['advertisements'] as Array<{ selector: unknown }>)[0]?.selector;
    expect(selector).toEqual({ matchExpressions: [{ key: 'changeflow.io/never-set', operator: 'NotIn', values: ['never-used-value'] }] });
  });

  it('writes pools as v2alpha1 before 1.18 and without an advertisement before BGPv2 (1.15)', () => {
    expect(one(desiredClusterObjects(specWith([poolChange]), '1.17.0'), 'CiliumLoadBalancerIPPool').apiVersion).toBe('cilium.io/v2alpha1');
    expect(desiredClusterObjects(specWith([poolChange]), '1.15.3').map((o) => o.kind)).toEqual(['CiliumLoadBalancerIPPool']);
  });

  it('writes an egress policy with egressGateway and egressIP, never interface, selecting the namespace by pod label', () => {
    const policy = one(desiredClusterObjects(specWith([{ ...egressChange, excludedCidrs: ['10.10.10.0/28'] }]), '1.18.2'), 'CiliumEgressGatewayPolicy');
    expect(policy.apiVersion).toBe('cilium.io/v2');
    expect(policy.spec).toEqual({
      selectors: [{ podSelector: { matchLabels: { app: 'frontend', 'io.kubernetes.pod.namespace': 'shop' } } }],
      destinationCIDRs: ['10.10.10.0/24'],
      excludedCIDRs: ['10.10.10.0/28'],
      egressGateway: { nodeSelector: { matchLabels: { 'egress-gateway': 'true' } }, egressIP: '192.168.3.200' },
    });
    expect(canonicalJson(policy)).not.toContain('interface');
  });

  it('writes an L2 announcement policy as v2alpha1 and leaves interfaces out when the spec lists none', () => {
    const policy = one(desiredClusterObjects(specWith([l2Change]), '1.18.2'), 'CiliumL2AnnouncementPolicy');
    expect(policy).toMatchObject({
      apiVersion: 'cilium.io/v2alpha1',
      spec: { serviceSelector: { matchLabels: { color: 'red' } }, nodeSelector: { matchLabels: { l2: 'true' } }, interfaces: ['^eth[0-9]+'], loadBalancerIPs: true, externalIPs: false },
    });
    expect(one(desiredClusterObjects(specWith([{ ...l2Change, interfaces: [] }]), '1.18.2'), 'CiliumL2AnnouncementPolicy').spec).not.toHaveProperty('interfaces');
  });

  it('writes cilium-config with only the spec keys and without the managed-by label', () => {
    const [cm] = desiredClusterObjects(specWith([configChange]), '1.18.2', { ciliumNamespace: 'cilium' });
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'cilium' }, data: { 'bpf-lb-algorithm': 'maglev', 'bpf-lb-mode': 'dsr' } });
  });

  it('leaves absent changes out and is deterministic from the spec alone', () => {
    const spec = specWith([bgpChange, { ...poolChange, state: 'absent' }, egressChange]);
    const a = desiredClusterObjects(spec, '1.18.2');
    expect(a.map((o) => o.kind)).toEqual(['CiliumBGPPeerConfig', 'CiliumBGPClusterConfig', 'CiliumEgressGatewayPolicy']);
    expect(canonicalJson(desiredClusterObjects(onboardSpec(), '1.18.2'))).toBe(canonicalJson(desiredClusterObjects(onboardSpec(), '1.18.2')));
    expect(canonicalJson(a)).not.toMatch(/change-id|changeflow\.io\/change/);
  });
});
