import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../local/lab/world/cluster-snapshot.js';
import type { FabricSnapshot } from '../../../local/lab/world/fabric-snapshot.js';
import { apicNeighbors, bgpSessions } from '../../../local/lab/world/sessions.js';
import { agreedCluster, agreedFabric } from './snapshots.js';

// The world's BGP rule as a table: both sides agree → established on both; each single
// disagreement → the states each speaker would plausibly show, and a reason naming the cause.

type Case = [string, (f: FabricSnapshot, c: ClusterSnapshot) => void, string, string | undefined, RegExp];

const svi = (f: FabricSnapshot, n: number) => f.svis[n] ?? agreedFabric().svis[0]!;
const peer = (c: ClusterSnapshot, n: number) => c.clusterConfigs[0]!.instances[0]!.peers[n]!;

describe('bgpSessions: a session is established only when the fabric and Cilium agree', () => {
  it('establishes every selected node with every anchor when both sides agree', () => {
    const sessions = bgpSessions(agreedFabric(), agreedCluster(), { neverEstablish: false });
    expect(sessions.map((s) => `${s.node}>${s.peer}:${s.cilium}/${s.apic}`)).toEqual(
      ['w1', 'w2', 'w3', 'w4'].flatMap((w) => [`prod-a-${w}>anchor-101:established/established`, `prod-a-${w}>anchor-102:established/established`]),
    );
    expect(sessions[0]?.anchor).toEqual({ podId: '1', nodeId: '101', tenant: 'k8s-prod-a', l3outDn: 'uni/tn-k8s-prod-a/out-prod-a-l3out', vrf: 'vrf-1', prefix: '192.168.2.0/24' });
  });

  it.for<Case>([
    ['Cilium peerASN is not the fabric AS', (_f, c) => (peer(c, 0).peerASN = 65002), 'active', 'opensent', /expects AS 65002 but the fabric opens with AS 65001/],
    ['the anchor expects another remote AS', (f) => (svi(f, 0).peers[0]!.remoteAsn = 64513), 'open_sent', 'idle', /expects remote AS 64513 but node prod-a-w1 opens with AS 64512/],
    ['the anchor has no bgpAsP', (f) => delete svi(f, 0).peers[0]!.remoteAsn, 'open_sent', 'idle', /no remote AS \(bgpAsP missing\)/],
    ['the anchor has no peer prefix', (f) => (svi(f, 0).peers = []), 'active', undefined, /anchor 101 has no BGP peer prefix \(bgpPeerP\) containing node IP 192.168.2.11/],
    ['the peer prefix excludes the node', (f) => (svi(f, 0).peers[0]!.prefix = '192.168.2.128/25'), 'active', undefined, /no BGP peer prefix/],
    ['the peer address is no anchor SVI', (_f, c) => (peer(c, 0).peerAddress = '192.168.2.9'), 'active', undefined, /no floating SVI on the fabric has address 192.168.2.9/],
    ['the floating SVI has no floating address', (f) => delete svi(f, 0).floatingAddr, 'active', undefined, /has no floating address/],
    ['the L3Out is in no VRF', (f) => delete svi(f, 0).vrf, 'active', undefined, /is in no VRF/],
    ['the node is outside the SVI subnet', (f) => (svi(f, 0).address = '192.168.2.1/29'), 'active', undefined, /node IP 192.168.2.11 is outside the floating SVI subnet 192.168.2.1\/29/],
  ])('keeps w1↔anchor-101 down when %s', ([, breakIt, cilium, apic, reason]) => {
    const fabric = agreedFabric();
    const cluster = agreedCluster();
    breakIt(fabric, cluster);
    const sessions = bgpSessions(fabric, cluster, { neverEstablish: false });
    const s = sessions.find((x) => x.node === 'prod-a-w1' && x.peer === 'anchor-101');
    expect(s?.cilium).toBe(cilium);
    expect(s?.apic).toBe(apic);
    expect(s?.reason).toMatch(reason);
    // The other anchor is untouched by a change on anchor 101 alone.
    if (!/peerASN|peer address/.test(s?.reason ?? '')) expect(sessions.find((x) => x.node === 'prod-a-w1' && x.peer === 'anchor-102')?.cilium).toBe('established');
  });

  it('accepts peerASN 0 (learned from the OPEN)', () => {
    const cluster = agreedCluster();
    peer(cluster, 0).peerASN = 0;
    expect(bgpSessions(agreedFabric(), cluster, { neverEstablish: false })[0]?.cilium).toBe('established');
  });

  it('has no sessions for nodes the nodeSelector leaves out, nor when the BGP control plane is off', () => {
    const cluster = agreedCluster();
    cluster.clusterConfigs[0]!.nodeSelector = { matchLabels: { 'egress-gateway': 'true' } };
    expect(new Set(bgpSessions(agreedFabric(), cluster, { neverEstablish: false }).map((s) => s.node))).toEqual(new Set(['prod-a-w4']));
    cluster.config['enable-bgp-control-plane'] = 'false';
    expect(bgpSessions(agreedFabric(), cluster, { neverEstablish: false })).toEqual([]);
  });

  it('lets a node be claimed by the first cluster config only, as the operator does', () => {
    const cluster = agreedCluster();
    cluster.clusterConfigs.push({ name: 'other', instances: [{ name: 'x', localASN: 1, peers: [{ name: 'p', peerAddress: '192.168.2.1', peerASN: 65001 }] }] });
    const byConfig = bgpSessions(agreedFabric(), cluster, { neverEstablish: false });
    expect(byConfig.filter((s) => s.instance === 'x').map((s) => s.node)).toEqual(['prod-a-cp1']);
  });

  it('drops every established session under bgp.session=down, and only those', () => {
    const cluster = agreedCluster();
    peer(cluster, 0).peerASN = 65002;
    const up = bgpSessions(agreedFabric(), cluster, { neverEstablish: false });
    const down = bgpSessions(agreedFabric(), cluster, { neverEstablish: false, sessionsDown: true });
    expect(up.filter((s) => s.cilium === 'established').length).toBeGreaterThan(0);
    expect(down.filter((s) => s.cilium === 'established')).toEqual([]);
    const dropped = down.filter((_, i) => up[i]?.cilium === 'established');
    expect(new Set(dropped.map((s) => `${s.cilium}/${s.apic}`))).toEqual(new Set(['active/idle']));
    expect(dropped[0]?.reason).toMatch(/bgp.session=down/);
    // A session that was not up keeps its own reason.
    expect(down.filter((_, i) => up[i]?.cilium !== 'established').map((s) => s.reason)).toEqual(up.filter((s) => s.cilium !== 'established').map((s) => s.reason));
  });

  it('holds everything down under bgp.establish=never', () => {
    const sessions = bgpSessions(agreedFabric(), agreedCluster(), { neverEstablish: true });
    expect(new Set(sessions.map((s) => `${s.cilium}/${s.apic}`))).toEqual(new Set(['active/idle']));
    expect(sessions[0]?.reason).toMatch(/bgp.establish=never/);
  });
});

describe('apicNeighbors: what one anchor lists under one peer prefix', () => {
  it('shows learned endpoints idle and sessions with their state, sorted by address', () => {
    const cluster = agreedCluster();
    peer(cluster, 0).peerASN = 65002;
    const sessions = bgpSessions(agreedFabric(), cluster, { neverEstablish: false });
    const entries = apicNeighbors(sessions, { podId: '1', nodeId: '101', prefix: '192.168.2.0/24' }, ['192.168.2.10', '192.168.2.11']);
    expect(entries).toEqual([
      { addr: '192.168.2.10', operSt: 'idle' },
      { addr: '192.168.2.11', operSt: 'opensent' },
      { addr: '192.168.2.12', operSt: 'opensent' },
      { addr: '192.168.2.13', operSt: 'opensent' },
      { addr: '192.168.2.14', operSt: 'opensent' },
    ]);
    // Only anchor-101's peer was changed: anchor 102 still peers with everyone.
    expect(apicNeighbors(sessions, { podId: '1', nodeId: '102', prefix: '192.168.2.0/24' }, []).every((e) => e.operSt === 'established')).toBe(true);
  });
});
