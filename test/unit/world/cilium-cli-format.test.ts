import { describe, expect, it } from 'vitest';
import { peerRows, peersJson, peersTable } from '../../../local/lab/cilium-cli/bgp-peers.js';
import { junitInfrastructureFailure, junitXml } from '../../../local/lab/cilium-cli/connectivity/junit.js';
import { parseTestFilters, scenarioEnabled, testEnabled } from '../../../local/lab/cilium-cli/connectivity/select.js';
import { formatGoDuration, formatGoFloat, parseGoDuration } from '../../../local/lab/cilium-cli/go-format.js';
import { tabulate } from '../../../local/lab/cilium-cli/tabwriter.js';
import { parseBgpPeersJson } from '../../../shared/cilium/parsers/bgp-peers-json.js';
import { parseBgpPeersTable } from '../../../shared/cilium/parsers/bgp-peers-table.js';
import { parseConnectivityJunit, summariseConnectivityJunit } from '../../../shared/cilium/parsers/connectivity-junit.js';
import { agreedCluster } from './snapshots.js';

// The lab `cilium` speaks cilium-cli's formats: Go durations and floats, tabwriter tables, the
// JUnit XML of encoding/xml — checked here exactly, and read back with the product's parsers.

describe('Go spellings', () => {
  it.for<[string, number]>([
    ['2s', 2e9], ['1m30s', 90e9], ['500ms', 5e8], ['1.5h', 5400e9], ['0', 0], ['30m', 1800e9],
  ])('parses the duration %s', ([text, ns]) => expect(parseGoDuration(text)).toBe(ns));

  it('refuses durations Go refuses', () => {
    expect(() => parseGoDuration('2')).toThrow('time: invalid duration "2"');
    expect(() => parseGoDuration('2 s')).toThrow(/invalid duration/);
  });

  it.for<[number, string]>([
    [0, '0s'], [2e9, '2s'], [1800e9, '30m0s'], [148e9, '2m28s'], [3723e9, '1h2m3s'], [1.5e9, '1.5s'], [5e8, '500ms'], [1500, '1.5µs'],
  ])('formats %d ns as %s', ([ns, text]) => expect(formatGoDuration(ns)).toBe(text));

  it.for<[number, string]>([
    [0, '0'], [0.012, '0.012'], [1.5, '1.5'], [0.00002, '2e-05'], [1234567, '1.234567e+06'], [123456, '123456'],
  ])('formats the float %d like strconv g -1', ([f, text]) => expect(formatGoFloat(f)).toBe(text));
});

describe('tabulate', () => {
  it('pads every cell but the last to its column, and pads the last one of tab-terminated rows', () => {
    expect(tabulate([['Node', 'AS', 'State'], ['w1', '64512', 'up', '']], { padding: 3, minWidth: 5 })).toBe('Node   AS      State\nw1     64512   up   \n');
  });
});

describe('connectivity test filters', () => {
  const f = (...v: string[]) => parseTestFilters(v);
  it('runs tests a filter matches by name or test/scenario, and skips ! filters', () => {
    expect(testEnabled(f(), 'no-policies', ['pod-to-pod'])).toBe(true);
    expect(testEnabled(f('bgp'), 'no-policies', ['pod-to-pod'])).toBe(false);
    expect(testEnabled(f('bgp'), 'bgp-control-plane-v2', [])).toBe(true);
    expect(testEnabled(f('/pod-to-world'), 'no-policies', ['pod-to-pod', 'pod-to-world'])).toBe(true);
    expect(testEnabled(f('!check-log'), 'check-log-errors', [])).toBe(false);
    expect(scenarioEnabled(f('/pod-to-world'), 'no-policies', 'pod-to-pod')).toBe(false);
    expect(scenarioEnabled(f('no-policies'), 'no-policies', 'pod-to-pod')).toBe(true);
  });

  it('reports a bad regular expression as cilium-cli does', () => {
    expect(() => f('(')).toThrow(/^test filter: error parsing regexp/);
  });
});

describe('JUnit XML', () => {
  const run = {
    args: ['--junit-file', 'out.xml'],
    timestamp: '2025-11-23T05:00:00',
    cases: [
      { name: 'no-policies', status: 'passed' as const, seconds: 0.5, failedActions: [], failureMessages: [] },
      { name: 'egress-gateway', status: 'skipped' as const, seconds: 0, failedActions: [], failureMessages: [] },
      {
        name: 'bgp-control-plane-v2', status: 'failed' as const, seconds: 0.25,
        failedActions: ['bgp-control-plane-v2/bgpv2-advertisements:bgp-session-0: prod-a-w1 (192.168.2.11) -> anchor-101 (192.168.2.1:179)'],
        failureMessages: ['BGP session is "active", expected <established>'],
      },
    ],
  };

  it('is what encoding/xml with Indent("  ", "    ") writes', () => {
    expect(junitXml(run)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '  <testsuites tests="3" disabled="1" errors="0" failures="1" time="0.75">',
        '      <testsuite name="connectivity test" id="0" package="cilium" tests="3" errors="0" failures="1" skipped="1" time="0.75" timestamp="2025-11-23T05:00:00">',
        '          <properties>',
        '              <property name="Args" value="--junit-file|out.xml"></property>',
        '          </properties>',
        '          <testcase name="no-policies" classname="connectivity test" status="passed" time="0.5"></testcase>',
        '          <testcase name="egress-gateway" classname="connectivity test" status="skipped" time="0">',
        '              <skipped message="egress-gateway skipped"></skipped>',
        '          </testcase>',
        '          <testcase name="bgp-control-plane-v2" classname="connectivity test" status="failed" time="0.25">',
        '              <failure message="bgp-control-plane-v2 failed" failureMessage="BGP session is &#34;active&#34;, expected &lt;established&gt;" type="failure">bgp-control-plane-v2/bgpv2-advertisements:bgp-session-0: prod-a-w1 (192.168.2.11) -&gt; anchor-101 (192.168.2.1:179)</failure>',
        '          </testcase>',
        '      </testsuite>',
        '  </testsuites>',
      ].join('\n'),
    );
  });

  it('reads back with the product parser, duplicate failureMessage attributes included', () => {
    const twice = { ...run, cases: [...run.cases.slice(0, 2), { ...run.cases[2]!, failedActions: ['a/s:x', 'a/s:y'], failureMessages: ['first', 'second'] }] };
    const parsed = parseConnectivityJunit(junitXml(twice));
    expect(parsed.cases.find((c) => c.status === 'failed')?.failure).toEqual({ message: 'bgp-control-plane-v2 failed', actions: ['a/s:x', 'a/s:y'], messages: ['first', 'second'] });
    expect(summariseConnectivityJunit(parsed)).toMatchObject({ verdict: 'fail', tests: 2, failed: 1, skipped: 1 });
  });

  it('records a cancelled run as a failed setup', () => {
    const parsed = parseConnectivityJunit(junitInfrastructureFailure(['--timeout', '2s'], '2025-11-23T05:00:00', 'context deadline exceeded'));
    expect(parsed.setupFailure).toBe('context deadline exceeded');
    expect(summariseConnectivityJunit(parsed).verdict).toBe('fail');
  });
});

describe('bgp peers output', () => {
  const nodeConfig = (node: string, state: string) => ({
    metadata: { name: node },
    spec: { bgpInstances: [{ name: 'i', localASN: 64512, peers: [{ name: 'anchor-101', peerAddress: '192.168.2.1', peerASN: 65001, peerConfigRef: { name: 'prod-a-anchors' } }, { name: 'anchor-102', peerAddress: '192.168.2.2', peerASN: 65001, peerConfigRef: { name: 'prod-a-anchors' } }] }] },
    status: {
      bgpInstances: [{
        name: 'i', localASN: 64512,
        peers: ['1', '2'].map((n) => ({ name: `anchor-10${n}`, peerAddress: `192.168.2.${n}`, peerASN: 65001, peeringState: state, ...(state === 'established' ? { establishedTime: '2025-11-23T04:57:32Z', timers: { appliedHoldTimeSeconds: 9, appliedKeepaliveSeconds: 3 } } : {}) })),
      }],
    },
  });
  const rows = peerRows([nodeConfig('prod-a-w2', 'active'), nodeConfig('prod-a-w1', 'established')], agreedCluster(), new Date('2025-11-23T05:00:00Z'));

  it('prints the cilium-cli table: node once per node, uptime rounded, trailing padding', () => {
    expect(peersTable(rows)).toBe(
      [
        'Node        Local AS   Peer AS   Peer Address   Session State   Uptime   Family         Received   Advertised',
        'prod-a-w1   64512      65001     192.168.2.1    established     2m28s    ipv4/unicast   0          1    ',
        '            64512      65001     192.168.2.2    established     2m28s    ipv4/unicast   0          1    ',
        'prod-a-w2   64512      65001     192.168.2.1    active          0s       ipv4/unicast   0          0    ',
        '            64512      65001     192.168.2.2    active          0s       ipv4/unicast   0          0    ',
        '',
      ].join('\n'),
    );
  });

  it('reads back the same sessions from the table and from the JSON', () => {
    const expected = [
      { node: 'prod-a-w1', peerAddress: '192.168.2.1', state: 'established', uptimeSeconds: 148, advertised: 1 },
      { node: 'prod-a-w1', peerAddress: '192.168.2.2', state: 'established', uptimeSeconds: 148, advertised: 1 },
      { node: 'prod-a-w2', peerAddress: '192.168.2.1', state: 'active', uptimeSeconds: 0, advertised: 0 },
      { node: 'prod-a-w2', peerAddress: '192.168.2.2', state: 'active', uptimeSeconds: 0, advertised: 0 },
    ];
    const view = (r: ReturnType<typeof parseBgpPeersJson>) => r.map((p) => ({ node: p.node, peerAddress: p.peerAddress, state: p.state, uptimeSeconds: p.uptimeSeconds ?? 0, advertised: p.families[0]?.advertised }));
    expect(view(parseBgpPeersTable(peersTable(rows)))).toEqual(expected);
    expect(view(parseBgpPeersJson(peersJson(rows)))).toEqual(expected);
    const json = JSON.parse(peersJson(rows)) as Record<string, Array<Record<string, unknown>>>;
    // omitempty: no uptime or applied timers on a session that is not up.
    expect(Object.keys(json['prod-a-w2']?.[0] ?? {})).not.toContain('uptime-nanoseconds');
    expect(json['prod-a-w1']?.[0]).toMatchObject({ 'applied-hold-time-seconds': 9, 'peer-port': 179, 'session-state': 'established', 'uptime-nanoseconds': 148e9 });
  });
});
