import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../shared/errors.js';
import { parseCiliumStatusJson, looksLikeCiliumStatus } from '../../../shared/cilium/parsers/cilium-status.js';
import { parseBgpPeersJson } from '../../../shared/cilium/parsers/bgp-peers-json.js';
import { parseBgpPeersTable } from '../../../shared/cilium/parsers/bgp-peers-table.js';
import { formatDuration, parseDuration } from '../../../shared/cilium/parsers/bgp-peer.js';
import { readFixture } from './cluster-fixtures.js';

describe('cilium status -o json', () => {
  it('is healthy when every agent and the operator are ready and nothing reports errors', () => {
    const s = parseCiliumStatusJson(readFixture('status', 'healthy.json'));
    expect(s).toMatchObject({ healthy: true, errors: [], warnings: [], desired: 5, ready: 5, operator: { desired: 1, ready: 1 } });
    expect(s.images).toEqual(['quay.io/cilium/cilium:v1.18.2@sha256:858f807ea4e20e85e3ea3240a762e1f4b29f1cb5bbd0463b8aa77e7b097c0667']);
  });

  it('collects per-pod errors (also Go errors marshalled as {}), unready agents and agent warnings', () => {
    const s = parseCiliumStatusJson(readFixture('status', 'degraded.json'));
    expect(s.healthy).toBe(false);
    expect(s.errors).toEqual([
      'cilium/cilium-4xk2p: Cilium: Kubernetes service is not ready: context deadline exceeded',
      'cilium/cilium-t5rwd: (error without message: the CLI serialised a Go error as {})',
      'DaemonSet cilium: 4/5 agents ready',
    ]);
    expect(s.warnings).toEqual(['cilium/cilium-9zq7m: Cilium: 1 controller failing']);
  });

  it('accepts the capitalised top-level keys of CLIs without json tags', () => {
    const s = parseCiliumStatusJson(JSON.stringify({ PodState: { cilium: { Desired: 2, Ready: 2 } }, Errors: {}, CollectionErrors: null }));
    expect(s).toMatchObject({ healthy: true, desired: 2, ready: 2 });
  });

  it('is unhealthy when no agents were found', () => {
    expect(parseCiliumStatusJson({ pod_state: {} }).errors).toContain('pod_state has no entry for DaemonSet cilium: the agents were not found');
  });

  it('refuses text that is not JSON with a named error', () => {
    expect(() => parseCiliumStatusJson('Cilium: OK')).toThrow(InvalidInput);
  });

  it('recognises status JSON among Kubernetes documents', () => {
    expect(looksLikeCiliumStatus(JSON.parse(readFixture('status', 'healthy.json')))).toBe(true);
    expect(looksLikeCiliumStatus({ apiVersion: 'v1', kind: 'List', items: [] })).toBe(false);
  });
});

describe('cilium bgp peers', () => {
  it('reads the summary table with a continuation row per extra family (cilium/cilium#45435)', () => {
    expect(parseBgpPeersTable(readFixture('bgp', 'peers-table-45435.txt'))).toEqual([
      {
        node: 'work-laptop', localAsn: 64513, peerAsn: 64512, peerAddress: '192.168.1.1', state: 'established', uptime: '2m28s', uptimeSeconds: 148,
        families: [{ afi: 'ipv4', safi: 'unicast', received: 0, advertised: 0 }, { afi: 'ipv6', safi: 'unicast', received: 0, advertised: 0 }],
      },
    ]);
  });

  it('gives a node\'s further peers the node name and skips the stderr error line', () => {
    const rows = parseBgpPeersTable(readFixture('bgp', 'peers-table-multi-node.txt'));
    expect(rows.map((r) => [r.node, r.peerAddress, r.state, r.uptimeSeconds, r.families.length])).toEqual([
      ['node0', '10.0.1.1', 'active', 0, 2],
      ['prod-a-w1', '192.168.2.1', 'established', 3723, 1],
      ['prod-a-w1', '192.168.2.2', 'established', 3721, 1],
    ]);
    expect(rows[1]?.families[0]).toEqual({ afi: 'ipv4', safi: 'unicast', received: 4, advertised: 2 });
  });

  it('reads the agent table without a Node column and splits the port off the address (cilium/cilium#39861)', () => {
    expect(parseBgpPeersTable(readFixture('bgp', 'dbg-peers-39861.txt'))).toEqual([
      {
        localAsn: 4294967291, peerAsn: 4294967291, peerAddress: '10.55.20.111', peerPort: 179, state: 'active', uptime: '0s', uptimeSeconds: 0,
        families: [{ afi: 'ipv4', safi: 'unicast', received: 0, advertised: 2 }],
      },
    ]);
  });

  it('reads the JSON form, where omitted counters mean 0 (cilium/cilium-cli#1500)', () => {
    expect(parseBgpPeersJson(readFixture('bgp', 'peers-json-cli1500.json'))).toEqual([
      {
        node: 'clab-bgp-cplane-demo-worker3', localAsn: 65011, peerAsn: 65011, peerAddress: '10.0.0.2', state: 'established', uptime: '42s', uptimeSeconds: 42,
        families: [{ afi: 'ipv4', safi: 'unicast', received: 11, accepted: 11, advertised: 1 }, { afi: 'ipv6', safi: 'unicast', received: 0, advertised: 0 }],
      },
    ]);
  });

  it('reads the bare array of cilium-dbg and the older `uptime` field', () => {
    const rows = parseBgpPeersJson([{ 'local-asn': 65010, 'peer-asn': 65010, 'peer-address': '10.0.0.1', 'session-state': 'established', uptime: 2133000000000, families: [{ afi: 'ipv4', safi: 'unicast', received: 11, advertised: 1 }] }]);
    expect(rows[0]).toMatchObject({ localAsn: 65010, uptime: '35m33s', uptimeSeconds: 2133 });
    expect(rows[0]?.node).toBeUndefined();
  });

  it('refuses JSON of another shape with the path of the problem', () => {
    expect(() => parseBgpPeersJson({ node: 'x' })).toThrow(InvalidInput);
  });

  it('formats and parses Go durations as the CLI prints them', () => {
    expect([0, 59, 148, 3723, 90000].map(formatDuration)).toEqual(['0s', '59s', '2m28s', '1h2m3s', '25h0m0s']);
    expect(parseDuration('1h2m3s')).toBe(3723);
    expect(parseDuration('1.5s')).toBe(1.5);
    expect(parseDuration('soon')).toBeUndefined();
  });
});
