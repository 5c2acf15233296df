import { describe, expect, it } from 'vitest';
import { runClusterPrechecks } from '../../../shared/cilium/prechecks/run-prechecks.js';
import type { BgpPeerRow } from '../../../shared/cilium/parsers/bgp-peer.js';
import { evaluateBgpPeersRows } from '../../../shared/kinds/bgp-peering/verify-cluster.js';
import { clusterSessionSource } from '../../../shared/kinds/bgp-peering/verify.js';
import { bgpChange, prodAFacts, specWith } from './cluster-fixtures.js';

// CiliumBGPNodeConfig status exists from Cilium 1.16.2: before that the verify step asks the
// agents with `cilium bgp peers`, and says so.

describe('where the cluster side of BGP is read', () => {
  it.each([
    ['1.16.0', 'cilium-bgp-peers'],
    ['1.16.1', 'cilium-bgp-peers'],
    ['1.16.2', 'node-config-status'],
    ['1.16.15', 'node-config-status'],
    ['1.18.3', 'node-config-status'],
    ['1.20.0-dev', 'node-config-status'],
  ])('on %s: %s', (version, source) => {
    expect(clusterSessionSource(version).source).toBe(source);
  });

  it('says why on 1.16.1', () => {
    expect(clusterSessionSource('1.16.1').why).toBe('read with cilium bgp peers: Cilium 1.16.1 writes no CiliumBGPNodeConfig status (that starts with 1.16.2)');
  });

  it.each([
    ['1.16.1', 'the verify step reads the sessions with cilium bgp peers: Cilium 1.16.1 writes no CiliumBGPNodeConfig status (from 1.16.2 on)'],
    ['1.16.15', 'Cilium 1.16.15 always writes CiliumBGPNodeConfig status (enable-bgp-control-plane-status-report, to turn it off, arrived in 1.17)'],
  ])('the status-report precheck on %s names the source', (version, evidence) => {
    const facts = prodAFacts();
    facts.ciliumVersion = version;
    const r = runClusterPrechecks(specWith([bgpChange]), facts).find((p) => p.id === 'cluster.config.bgp-status-report');
    expect(r).toMatchObject({ verdict: 'pass', evidence });
  });
});

describe('the cluster side from cilium bgp peers', () => {
  const spec = specWith([bgpChange]);
  const node = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
  const nodes = [node('w1', { bgp: 'enabled' }), node('w2', { bgp: 'enabled' }), node('cp1', {})];
  const row = (n: string, peerAddress: string, state: string): BgpPeerRow => ({ node: n, localAsn: 64512, peerAsn: 65001, peerAddress, state, families: [] });

  it('is established when every selected node lists every anchor as established', () => {
    const rows = ['w1', 'w2'].flatMap((n) => [row(n, '192.168.2.1', 'established'), row(n, '192.168.2.2', 'established')]);
    const v = evaluateBgpPeersRows(spec, rows, nodes);
    expect(v).toMatchObject({ established: true, missing: [], notEstablished: [] });
    expect(v.sessions).toHaveLength(4);
  });

  it('names the sessions that are not up and the ones the CLI does not list', () => {
    const rows = [row('w1', '192.168.2.1', 'established'), row('w1', '192.168.2.2', 'active'), row('w2', '192.168.2.1', 'established')];
    const v = evaluateBgpPeersRows(spec, rows, nodes);
    expect(v.established).toBe(false);
    expect(v.notEstablished).toEqual([{ node: 'w1', peer: '192.168.2.2', state: 'active' }]);
    expect(v.missing).toEqual(['node w2: cilium bgp peers lists no session with 192.168.2.2']);
  });
});
