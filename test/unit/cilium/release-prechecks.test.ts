import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { runClusterPrechecks } from '../../../shared/cilium/prechecks/run-prechecks.js';
import { judgeOption } from '../../../shared/cilium/release/agent-options.js';
import { datapathRefusals, kubeProxyReplacementOn } from '../../../shared/cilium/release/datapath-rules.js';
import { egressGatewayKeys } from '../../../shared/cilium/release/egress-gateway.js';
import type { PrecheckResult } from '../../../shared/plan/index.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { egressChange, prodAFacts, specWith } from './cluster-fixtures.js';

// The release-aware rules (shared/cilium/release/) and the prechecks built on them, table by
// table: what Cilium's agent of each release refuses, ignores or reads.

const lookup = (config: Record<string, string>) => (key: string) => config[key];

// The lab cluster: native routing, kube-proxy replacement on.
const lab = { 'kube-proxy-replacement': 'true', 'routing-mode': 'native' };
const tunnel = (protocol: string) => ({ 'kube-proxy-replacement': 'true', 'routing-mode': 'tunnel', 'tunnel-protocol': protocol });

describe('the datapath combinations the agent refuses', () => {
  it.each([
    ['DSR with VXLAN tunnelling', '1.18.3', { ...tunnel('vxlan'), 'bpf-lb-mode': 'dsr' }, 'dsr-vxlan', /cannot be used with vxlan tunneling/, /tunnel-protocol: geneve with bpf-lb-dsr-dispatch: geneve/],
    ['hybrid DSR with VXLAN (default protocol)', '1.16.15', { 'kube-proxy-replacement': 'true', 'routing-mode': 'tunnel', 'bpf-lb-mode': 'hybrid' }, 'dsr-vxlan', /hybrid mode cannot be used with vxlan/, /bpf-lb-mode: snat/],
    ['DSR in a geneve tunnel with opt dispatch', '1.17.14', { ...tunnel('geneve'), 'bpf-lb-mode': 'dsr' }, 'dsr-tunnel-dispatch', /requires geneve dispatch/, /bpf-lb-dsr-dispatch: geneve/],
    ['geneve dispatch without the geneve tunnel', '1.18.3', { ...lab, 'bpf-lb-mode': 'dsr', 'bpf-lb-dsr-dispatch': 'geneve' }, 'geneve-dispatch-tunnel', /requires geneve tunnel protocol/, /tunnel-protocol: geneve/],
    ['IPIP dispatch without XDP', '1.18.3', { ...lab, 'bpf-lb-mode': 'dsr', 'bpf-lb-dsr-dispatch': 'ipip' }, 'ipip-needs-xdp', /only available under XDP acceleration/, /bpf-lb-acceleration: native/],
    ['IPIP dispatch outside lb-only mode before 1.18', '1.17.14', { ...lab, 'bpf-lb-mode': 'dsr', 'bpf-lb-dsr-dispatch': 'ipip', 'bpf-lb-acceleration': 'native' }, 'ipip-needs-lb-only', /only supported for --datapath-mode=lb-only/, /datapath-mode: lb-only/],
    ['IPIP dispatch in hybrid mode before 1.18', '1.16.0', { ...lab, 'bpf-lb-mode': 'hybrid', 'bpf-lb-dsr-dispatch': 'ipip', 'bpf-lb-acceleration': 'native' }, 'hybrid-ipip', /accepts only opt or geneve dispatch in hybrid mode/, /bpf-lb-mode: dsr/],
    ['XDP over an IPv6 tunnel underlay', '1.17.14', { ...tunnel('vxlan'), 'underlay-protocol': 'ipv6', 'bpf-lb-acceleration': 'native' }, 'xdp-ipv6-underlay', /XDP acceleration cannot be used with an IPv6 underlay/, /underlay-protocol: ipv4/],
    ['DSR without kube-proxy replacement', '1.18.3', { 'routing-mode': 'native', 'bpf-lb-mode': 'dsr' }, 'needs-kpr', /kube-proxy-replacement=false \(default\): on Cilium 1.18.3 these are kube-proxy-replacement features and are ignored/, /kube-proxy-replacement: "true"/],
    ['Maglev and XDP without kube-proxy replacement', '1.16.15', { 'kube-proxy-replacement': 'false', 'bpf-lb-algorithm': 'maglev', 'bpf-lb-acceleration': 'native' }, 'needs-kpr', /bpf-lb-algorithm=maglev, bpf-lb-acceleration=native/, /kube-proxy-replacement: "true"/],
    ['a Maglev table size that is not a listed prime', '1.19.0-dev', { ...lab, 'bpf-lb-algorithm': 'maglev', 'bpf-lb-maglev-table-size': '10000' }, 'maglev-table-size', /accepts only the primes 251, 509/, /pick one of 251/],
    ['kube-proxy-replacement=strict from 1.16', '1.16.0', { 'kube-proxy-replacement': 'strict' }, 'kpr-value', /Cilium 1.16.0 accepts only true\|false/, /strict was removed in 1.16/],
    ['kube-proxy-replacement=partial from 1.16', '1.20.0-dev', { 'kube-proxy-replacement': 'partial' }, 'kpr-value', /Cilium 1.20.0-dev accepts only true\|false/, /partial\/disabled were removed/],
  ])('refuses %s on %s', (_what, release, config, rule, evidence, fix) => {
    const refusals = datapathRefusals(release, lookup(config));
    const found = refusals.find((r) => r.rule === rule);
    expect(found, JSON.stringify(refusals)).toBeDefined();
    expect(found?.evidence).toMatch(evidence);
    expect(found?.evidence).toContain(release);
    expect(found?.fix).toMatch(fix);
  });

  it.each([
    ['DSR with native routing (the seed design)', '1.18.3', { ...lab, 'bpf-lb-mode': 'dsr', 'bpf-lb-algorithm': 'maglev', 'bpf-lb-acceleration': 'native' }],
    ['DSR with geneve dispatch in a geneve tunnel', '1.17.14', { ...tunnel('geneve'), 'bpf-lb-mode': 'dsr', 'bpf-lb-dsr-dispatch': 'geneve' }],
    ['IPIP dispatch with XDP from 1.18 (no lb-only condition)', '1.18.3', { ...lab, 'bpf-lb-mode': 'dsr', 'bpf-lb-dsr-dispatch': 'ipip', 'bpf-lb-acceleration': 'native' }],
    ['IPIP dispatch with XDP in lb-only mode before 1.18', '1.15.7', { ...lab, 'bpf-lb-mode': 'dsr', 'bpf-lb-dsr-dispatch': 'ipip', 'bpf-lb-acceleration': 'native', 'datapath-mode': 'lb-only' }],
    ['XDP over an IPv6 underlay before underlays existed (1.16)', '1.16.15', { ...tunnel('vxlan'), 'underlay-protocol': 'ipv6', 'bpf-lb-acceleration': 'native' }],
    ['kube-proxy-replacement=strict with DSR up to 1.15', '1.15.7', { 'kube-proxy-replacement': 'strict', 'routing-mode': 'native', 'bpf-lb-mode': 'dsr' }],
    ['SNAT in a VXLAN tunnel without kube-proxy replacement', '1.14.16', { 'routing-mode': 'tunnel' }],
  ])('accepts %s on %s', (_what, release, config) => {
    expect(datapathRefusals(release, lookup(config))).toEqual([]);
  });

  it.each([
    ['true', '1.16.0', {}, true],
    ['strict', '1.15.7', {}, true],
    ['strict', '1.16.0', {}, false],
    ['partial with enable-node-port', '1.14.16', { 'enable-node-port': 'true' }, true],
    ['partial', '1.14.16', {}, false],
    ['false', '1.19.0-dev', {}, false],
  ])('reads kube-proxy-replacement=%s on %s as on=%s', (value, release, extra, on) => {
    expect(kubeProxyReplacementOn(release, lookup({ 'kube-proxy-replacement': value.split(' ')[0] ?? value, ...extra }))).toBe(on);
  });
});

describe('the cilium-config keys each release reads', () => {
  it.each([
    ['enable-egress-gateway', 'true', '1.17.14', 'absent', /Cilium 1.17.14 does not read enable-egress-gateway/],
    ['enable-ipv4-egress-gateway', 'true', '1.19.0-dev', 'absent', /Cilium 1.19.0-dev does not read enable-ipv4-egress-gateway .*removed in 1.19/],
    ['enable-bgp-control-plane-status-report', 'true', '1.16.15', 'absent', /does not read/],
    ['bgp-secrets-namespace', 'kube-system', '1.14.16', 'absent', /does not read/],
    ['bpf-lb-acceleration', 'best-effort', '1.14.16', 'value', /Cilium 1.14.16 takes one of disabled, native, testing-only/],
    ['kube-proxy-replacement', 'strict', '1.16.0', 'value', /refuses to start with "Invalid value"/],
    ['l2-announcements-lease-duration', '15', '1.18.3', 'value', /a duration such as 15s/],
  ])('refuses %s=%s on %s (%s)', (key, value, release, problem, text) => {
    const v = judgeOption(key, value, release);
    expect(v).toMatchObject({ ok: false, problem });
    expect(v.text).toMatch(text);
  });

  it.each([
    ['enable-ipv4-egress-gateway', 'true', '1.17.14'],
    ['enable-egress-gateway', 'true', '1.18.3'],
    ['enable-ipv4-egress-gateway', 'true', '1.18.3'],
    ['kube-proxy-replacement', 'strict', '1.15.7'],
    ['bpf-lb-maglev-table-size', '65521', '1.20.0-dev'],
  ])('accepts %s=%s on %s', (key, value, release) => {
    expect(judgeOption(key, value, release).ok).toBe(true);
  });

  it('names the egress gateway key by release: only the IPv4 key ≤ 1.17, both in 1.18, only the new one ≥ 1.19', () => {
    expect(['1.14.16', '1.17.14', '1.18.3', '1.19.0-dev', '1.20.0-dev'].map(egressGatewayKeys)).toEqual([
      ['enable-ipv4-egress-gateway'],
      ['enable-ipv4-egress-gateway'],
      ['enable-egress-gateway', 'enable-ipv4-egress-gateway'],
      ['enable-egress-gateway'],
      ['enable-egress-gateway'],
    ]);
  });
});

/** The lab facts on another release, with cilium-config edited. */
function factsOn(release: string, config: Record<string, string | undefined> = {}): ClusterFacts {
  const facts = structuredClone(prodAFacts());
  facts.ciliumVersion = release;
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) delete facts.config?.[k];
    else if (facts.config) facts.config[k] = v;
  }
  return facts;
}

function result(spec: ChangeSpec, facts: ClusterFacts, id: string): PrecheckResult {
  const found = runClusterPrechecks(spec, facts).find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} result`);
  return found;
}

describe('prechecks that match what the release does', () => {
  const config = (settings: Record<string, string>) => specWith([{ type: 'ciliumConfig', settings }]);

  it.each([
    ['enable-egress-gateway on 1.17', config({ 'enable-egress-gateway': 'true' }), factsOn('1.17.14'), 'cluster.config.release-options', /Cilium 1.17.14 does not read enable-egress-gateway/, /enable-ipv4-egress-gateway before 1.18/],
    ['DSR with VXLAN', config({ 'bpf-lb-mode': 'dsr' }), factsOn('1.18.2', { 'routing-mode': 'tunnel', 'tunnel-protocol': 'vxlan' }), 'cluster.config.datapath', /cannot be used with vxlan tunneling/, /routing-mode: native/],
    ['Maglev without kube-proxy replacement', config({ 'bpf-lb-algorithm': 'maglev' }), factsOn('1.18.2', { 'kube-proxy-replacement': 'false' }), 'cluster.config.datapath', /ignored without it/, /kube-proxy-replacement: "true"/],
    ['an IPv6 egress IP before 1.20', specWith([{ ...egressChange, egressIp: '2001:db8:2::c8', destinationCidrs: ['2001:db8:100::/64'] }]), factsOn('1.19.0-dev'), 'cluster.egress.address-family', /CRD of Cilium 1.19.0-dev takes IPv4 only/, /upgrade to Cilium 1.20/],
    ['an IPv4 egress IP for IPv6 destinations on 1.20', specWith([{ ...egressChange, destinationCidrs: ['2001:db8:100::/64'] }]), factsOn('1.20.0-dev'), 'cluster.egress.address-family', /egress IP 192.168.3.200 is ipv4, but 2001:db8:100::\/64 is not/, /one egressGateway change per address family/],
    ['egress gateway turned on with the 1.18 key on 1.17', specWith([egressChange]), factsOn('1.17.14', { 'enable-ipv4-egress-gateway': undefined }), 'cluster.config.egress-gateway', /enable-egress-gateway=true is not read by Cilium 1.17.14.*needs enable-ipv4-egress-gateway=true/, /egressGateway.enabled/],
    ['egress gateway with the removed IPv4 key on 1.19', specWith([egressChange]), factsOn('1.19.0-dev', { 'enable-egress-gateway': undefined, 'enable-ipv4-egress-gateway': 'true' }), 'cluster.config.egress-gateway', /needs enable-egress-gateway=true \(the key Cilium 1.19.0-dev reads\)/, /egressGateway.enabled/],
    ['egress gateway with kvstore identities', specWith([egressChange]), factsOn('1.18.2', { 'identity-allocation-mode': 'kvstore' }), 'cluster.config.egress-gateway', /needs identity-allocation-mode=crd/, /identityAllocationMode=crd/],
    ['egress gateway with CiliumEndpointSlice on', specWith([egressChange]), factsOn('1.18.2', { 'enable-cilium-endpoint-slice': 'true' }), 'cluster.config.egress-gateway', /needs enable-cilium-endpoint-slice=false/, /ciliumEndpointSlice off/],
    ['egress gateway without IPv4 masquerading', specWith([egressChange]), factsOn('1.18.2', { 'enable-ipv4-masquerade': 'false' }), 'cluster.config.egress-gateway', /needs enable-ipv4-masquerade=true/, /bpf.masquerade/],
    ['egress gateway with kube-proxy-replacement=strict on 1.16', specWith([egressChange]), factsOn('1.16.15', { 'kube-proxy-replacement': 'strict', 'enable-egress-gateway': undefined, 'enable-ipv4-egress-gateway': 'true' }), 'cluster.config.egress-gateway', /needs kube-proxy-replacement=true/, /kubeProxyReplacement/],
  ])('fail on %s', (_what, spec, facts, id, evidence, fix) => {
    const r = result(spec, facts, id);
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toMatch(evidence);
    expect(r.fix).toMatch(fix);
  });

  it.each([
    ['the IPv4 egress key on 1.17', specWith([egressChange]), factsOn('1.17.14', { 'enable-egress-gateway': undefined, 'enable-ipv4-egress-gateway': 'true' }), 'cluster.config.egress-gateway'],
    ['either egress key on 1.18', specWith([egressChange]), factsOn('1.18.3', { 'enable-egress-gateway': undefined, 'enable-ipv4-egress-gateway': 'true' }), 'cluster.config.egress-gateway'],
    ['an IPv6 egress policy on 1.20', specWith([{ ...egressChange, egressIp: '2001:db8:2::c8', destinationCidrs: ['2001:db8:100::/64'] }]), factsOn('1.20.0-dev'), 'cluster.egress.address-family'],
    ['the seed datapath (maglev, DSR, XDP) on the lab', config({ 'bpf-lb-algorithm': 'maglev', 'bpf-lb-mode': 'dsr', 'bpf-lb-acceleration': 'native' }), factsOn('1.18.2'), 'cluster.config.datapath'],
    ['keys the release reads', config({ 'bpf-lb-acceleration': 'best-effort', 'enable-bgp-control-plane-status-report': 'true' }), factsOn('1.17.14'), 'cluster.config.release-options'],
  ])('pass on %s', (_what, spec, facts, id) => {
    const r = result(spec, facts, id);
    expect(r).toMatchObject({ verdict: 'pass' });
    expect(r.evidence).not.toBe('');
  });

  it('says unknown for the release rules when the Cilium version was not collected', () => {
    const facts = factsOn('1.18.2');
    delete facts.ciliumVersion;
    const spec = specWith([egressChange, { type: 'ciliumConfig', settings: { 'bpf-lb-mode': 'dsr' } }]);
    for (const id of ['cluster.config.release-options', 'cluster.config.datapath', 'cluster.egress.address-family', 'cluster.config.egress-gateway']) {
      expect(result(spec, facts, id).verdict).toBe('unknown');
    }
  });
});

describe('the L2 announcements client rate advisory', () => {
  /** The lab facts with `count` LoadBalancer services labelled color=red. */
  function withServices(count: number, config: Record<string, string> = {}): ClusterFacts {
    const facts = factsOn('1.18.2', config);
    for (let i = 0; i < count; i += 1) {
      facts.objects[`Service/shop/red-${i}`] = { apiVersion: 'v1', kind: 'Service', metadata: { name: `red-${i}`, namespace: 'shop', labels: { color: 'red' } }, spec: { type: 'LoadBalancer' } } as ClusterFacts['objects'][string];
    }
    return facts;
  }
  const l2 = specWith([{ type: 'l2Announcement', name: 'l2-red', serviceSelector: { color: 'red' }, nodeSelector: {}, interfaces: [] }]);

  it('sizes 65 services with a 2s renew deadline at 32.5 QPS, as the guide does, and advises without failing', () => {
    const r = result(l2, withServices(65, { 'l2-announcements-renew-deadline': '2s' }), 'cluster.l2.client-rate');
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toBe('advisory: 65 announced LoadBalancer service(s) / 2s renew deadline = 32.5 QPS; k8s-client-qps=5 (default), k8s-client-burst=10 (default): below what the L2 announcements guide sizes for, so lease renewals get throttled and announcements can move between nodes');
    expect(r.fix).toBe('set k8s-client-qps: "33" and k8s-client-burst: "66" (Helm k8sClientRateLimit.qps/burst), or lengthen l2-announcements-renew-deadline');
  });

  it('passes without advice when the configured rate covers the services', () => {
    const r = result(l2, withServices(65, { 'l2-announcements-renew-deadline': '2s', 'k8s-client-qps': '40', 'k8s-client-burst': '80' }), 'cluster.l2.client-rate');
    expect(r.evidence).toMatch(/^65 announced .* = 32.5 QPS; k8s-client-qps=40, k8s-client-burst=80 \(the L2 announcements guide's sizing\)$/);
    expect(r.fix).toBeUndefined();
  });

  it('uses the default 5s renew deadline and counts only the services a policy selects', () => {
    const facts = withServices(30, { 'k8s-client-qps': '10', 'k8s-client-burst': '20' });
    facts.objects['Service/shop/blue'] = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'blue', namespace: 'shop', labels: { color: 'blue' } }, spec: { type: 'LoadBalancer' } } as ClusterFacts['objects'][string];
    expect(result(l2, facts, 'cluster.l2.client-rate').evidence).toMatch(/^30 announced .* \/ 5s renew deadline = 6.0 QPS; k8s-client-qps=10, k8s-client-burst=20/);
  });
});

describe('BGP families of the pools', () => {
  const changeflowLabels = { 'app.kubernetes.io/managed-by': 'changeflow' };
  function withObjects(...objects: Array<{ kind: string; name: string; spec: unknown }>): ClusterFacts {
    const facts = factsOn('1.18.2');
    for (const o of objects) {
      facts.objects[`${o.kind}/${o.name}`] = { apiVersion: 'cilium.io/v2', kind: o.kind, metadata: { name: o.name, labels: changeflowLabels }, spec: o.spec } as ClusterFacts['objects'][string];
      if (!facts.listedKinds.includes(o.kind)) facts.listedKinds.push(o.kind);
    }
    return facts;
  }
  const peerConfig = (...afis: string[]) => ({ kind: 'CiliumBGPPeerConfig', name: 'aci-prod-a-l3out', spec: { families: afis.map((afi) => ({ afi, safi: 'unicast' })) } });
  const v6Pool = { type: 'loadBalancerPool', name: 'pool-v6', blocks: ['2001:db8:10::/120'], serviceSelector: { color: 'v6' }, externalEpg: 'default_svc' };
  const peering = {
    type: 'bgpPeering', clusterAsn: 64512, peeringSubnet: '192.168.2.0/24', vlan: 300, floatingIp: '192.168.2.254/24',
    anchors: [{ nodeId: 101, pod: 1, routerId: '1.1.1.101', address: '192.168.2.1/24' }], nodeSelector: { bgp: 'enabled' },
  };

  it('fails an IPv6 pool whose existing PeerConfig lists only ipv4 unicast, and says how to add the family', () => {
    const r = result(specWith([v6Pool]), withObjects(peerConfig('ipv4')), 'cluster.pool.bgp-family');
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toBe('the pool has ipv6 blocks, but CiliumBGPPeerConfig aci-prod-a-l3out lists only ipv4 unicast: its addresses would never be advertised to the fabric');
    expect(r.fix).toBe('put the bgpPeering change in this spec too (unchanged): it then lists ipv6 unicast for the spec\'s pools');
  });

  it.each([
    ['a PeerConfig listing both families', specWith([v6Pool]), withObjects(peerConfig('ipv4', 'ipv6')), 'pass'],
    ['the peering in the same spec', specWith([peering, v6Pool]), withObjects(peerConfig('ipv4')), 'pass'],
    ['no PeerConfig yet', specWith([v6Pool]), withObjects(), 'pass'],
  ])('passes an IPv6 pool with %s', (_what, spec, facts, verdict) => {
    expect(result(spec, facts, 'cluster.pool.bgp-family').verdict).toBe(verdict);
  });

  it('says unknown for an IPv6 pool when the PeerConfigs were not listed, but passes an IPv4 one', () => {
    const facts = factsOn('1.18.2');
    facts.listedKinds = facts.listedKinds.filter((k) => k !== 'CiliumBGPPeerConfig');
    for (const key of Object.keys(facts.objects)) if (key.startsWith('CiliumBGPPeerConfig/')) delete facts.objects[key];
    expect(result(specWith([v6Pool]), facts, 'cluster.pool.bgp-family').verdict).toBe('unknown');
    expect(result(specWith([{ ...v6Pool, blocks: ['10.0.30.0/24'] }]), facts, 'cluster.pool.bgp-family').verdict).toBe('pass');
  });

  it('fails a peering that would drop the family of a changeflow pool already in the cluster', () => {
    const pool = { kind: 'CiliumLoadBalancerIPPool', name: 'pool-v6', spec: { blocks: [{ cidr: '2001:db8:10::/120' }] } };
    const r = result(specWith([peering]), withObjects(pool), 'cluster.bgp.pool-families');
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toMatch(/would list only ipv4 unicast, but changeflow's pool\(s\) pool-v6 \(ipv6\) need more/);
    expect(r.fix).toMatch(/add pool-v6 to this spec/);
    expect(result(specWith([peering, v6Pool]), withObjects(pool), 'cluster.bgp.pool-families').verdict).toBe('pass');
    expect(result(specWith([peering, { ...v6Pool, state: 'absent' }]), withObjects(pool), 'cluster.bgp.pool-families').verdict).toBe('pass');
  });
});
