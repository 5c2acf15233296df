import { describe, expect, it } from 'vitest';
import { parseConnectivityConsole } from '../../../shared/cilium/parsers/connectivity-console.js';
import { ConnectivityReport } from '../../../shared/cilium/parsers/connectivity-report.js';
import { readFixture } from './cluster-fixtures.js';

const parse = (name: string) => ConnectivityReport.parse(parseConnectivityConsole(readFixture('console', name)));

describe('connectivity test console parser', () => {
  it('reads a new-format report: namespace, 🟥 action with multi-line JSON message, owners and the [ns] verdict (cilium/cilium#41520)', () => {
    const r = parse('new-format-packet-drops-41520.log');
    expect(r.verdict).toBe('fail');
    expect(r.namespaces).toEqual(['cilium-test-1']);
    expect(r).toMatchObject({ tests: 4, failed: 1, skipped: 4, actions: 58, failedActions: 1 });
    expect(r.failedTests).toHaveLength(1);
    const [test] = r.failedTests;
    expect(test?.name).toBe('no-unexpected-packet-drops');
    expect(test?.namespace).toBe('cilium-test-1');
    expect(test?.owners).toEqual(['@cilium/sig-agent', '@cilium/sig-datapath', '@cilium/ci-structure']);
    const action = test?.actions[0];
    expect(action?.name).toBe('no-unexpected-packet-drops/no-unexpected-packet-drops:kind-kind/kind-worker2');
    const [first, ...json] = (action?.message ?? '').split('\n');
    expect(first).toBe('Found unexpected packet drops:');
    expect(JSON.parse(json.join('\n'))).toEqual({ labels: { direction: 'EGRESS', reason: 'FIB lookup failed' }, name: 'cilium_drop_count_total', value: 1 });
  });

  it('keeps progress lines before the report out of the failures (cilium/cilium#41766)', () => {
    const r = parse('new-format-after-progress-41766.log');
    expect(r.verdict).toBe('fail');
    expect(r.failedTests.map((t) => t.name)).toEqual(['no-unexpected-packet-drops']);
    expect(r.failedTests[0]?.actions[0]?.message).toContain('"value": 3');
  });

  it('reads the old format without namespaces: ❌ actions with their peers (cilium/cilium#32100)', () => {
    const r = parse('old-format-no-namespace-32100.log');
    expect(r.verdict).toBe('fail');
    expect(r.namespaces).toEqual([]);
    expect(r).toMatchObject({ failed: 15, tests: 40, skipped: 35, failedActions: 63, actions: 423 });
    const test = r.failedTests[0];
    expect(test?.namespace).toBeUndefined();
    expect(test?.actions).toHaveLength(5);
    expect(test?.actions[0]).toEqual({
      name: 'client-ingress/client-to-client/ping-ipv4-0',
      peers: 'cilium-test/client-69748f45d8-2pglj (10.68.2.210) -> cilium-test/client2-ccd7b8bdf-zqbpw (10.68.2.82:0)',
    });
  });

  it('keeps reading the report when the stderr verdict lands inside it (cilium/cilium#27194)', () => {
    const r = parse('old-format-stderr-interleaved-27194.log');
    expect(r.verdict).toBe('fail');
    expect(r.failed).toBe(1);
    expect(r.failedTests.map((t) => t.name)).toEqual(['allow-all-with-metrics-check']);
    expect(r.failedTests[0]?.actions[0]?.peers).toContain('(fd00:10:244:2::19aa:8080)');
  });

  it('reports a setup failure with the error text when deployments never became ready (cilium/cilium-cli#2186)', () => {
    const r = parse('setup-failure-deployment-timeout-cli2186.log');
    expect(r.verdict).toBe('fail');
    expect(r.tests).toBe(0);
    expect(r.setupFailure).toBe('waiting for deployment echo-other-node to become ready has been interrupted: context deadline exceeded (last error: only 0 of 1 replicas are available)');
    expect(r.reason).toMatch(/^setup failed before any test ran/);
  });

  it('understands the "Error: Connectivity test failed:" of early CLIs (cilium/cilium-cli#66)', () => {
    const r = parse('setup-failure-error-prefix-cli66.log');
    expect(r.verdict).toBe('fail');
    expect(r.setupFailure).toBe('waiting for deployment client to become ready has been interrupted: context deadline exceeded');
  });

  it('calls a log that ends mid-run inconclusive and names the test it ended in (cilium/cilium#37819)', () => {
    const r = parse('no-verdict-paused-37819.log');
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toBe('no verdict line: the log ends [cilium-test-1] during test [no-policies (2/107)]');
    expect(r.failedTests).toEqual([]);
  });

  it('strips CI runner timestamps and still finds no verdict in a truncated log (cilium/cilium#34355)', () => {
    const r = parse('no-verdict-runner-timestamps-34355.log');
    expect(r.verdict).toBe('inconclusive');
    expect(r.namespaces).toEqual(['cilium-test-1']);
    expect(r.reason).toContain('during test [dns-only (89/102)]');
  });

  it('passes on the success line with a namespace', () => {
    const r = parse('success-with-namespace.log');
    expect(r).toMatchObject({ verdict: 'pass', namespaces: ['cilium-test-1'], tests: 74, actions: 295, skipped: 49, failed: 0 });
    expect(r.reason).toBeUndefined();
  });

  it('passes on the success line of older CLIs without a namespace', () => {
    const r = parse('success-without-namespace.log');
    expect(r).toMatchObject({ verdict: 'pass', namespaces: [], tests: 42, actions: 304, skipped: 12 });
  });

  it('fails a --test-concurrency run when one namespace fails and the other passes', () => {
    const r = parse('multi-namespace-concurrency.log');
    expect(r.verdict).toBe('fail');
    expect(r.namespaces).toEqual(['cilium-test-1', 'cilium-test-2']);
    expect(r.tests).toBe(28 + 29);
    expect(r.failedTests).toHaveLength(1);
    expect(r.failedTests[0]?.namespace).toBe('cilium-test-2');
    expect(r.failedTests[0]?.actions.map((a) => a.name)).toEqual([
      'to-fqdns/pod-to-world/http-to-one-one-one-one-0',
      'to-fqdns/pod-to-world/https-to-one-one-one-one-0',
    ]);
    expect(r.failedTests[0]?.actions[0]?.peers).toBe('cilium-test-2/client-645b68dcf7-s5mdb (10.244.1.45) -> one-one-one-one-http (one.one.one.one:80)');
    expect(r.failedTests[0]?.actions[0]?.message).toMatch(/^command "curl .*" failed: command terminated with exit code 28$/);
  });

  it('is inconclusive when only one of several namespaces printed its success line', () => {
    const log = readFixture('console', 'multi-namespace-concurrency.log').split('📋')[0] ?? '';
    const r = parseConnectivityConsole(log);
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toContain('[cilium-test-2] during test [to-fqdns (45/60)]');
  });

  it('fails a run cancelled by the suite timeout even without a report', () => {
    const r = parse('suite-timeout-cancellation.log');
    expect(r.verdict).toBe('fail');
    expect(r.cancelled).toBe('connectivity test suite timeout (30m0s) reached');
    expect(r.reason).toBe('the suite was cancelled (connectivity test suite timeout (30m0s) reached)');
  });

  it('strips -t timestamps and ANSI colours before matching the success line', () => {
    const r = parse('timestamps-and-colours.log');
    expect(r).toMatchObject({ verdict: 'pass', namespaces: ['cilium-test-1'], tests: 2, actions: 14, skipped: 1 });
  });

  it('accepts the success line with a warnings count (some 0.15 CLIs)', () => {
    const r = parseConnectivityConsole('🏃 Running 3 tests ...\n✅ All 3 tests (9 actions) successful, 1 warnings, 0 tests skipped, 0 scenarios skipped.\n');
    expect(r).toMatchObject({ verdict: 'pass', tests: 3, actions: 9 });
  });

  it('treats a bare "connectivity test failed: N tests failed" as a failure', () => {
    const r = parseConnectivityConsole('🏃 Running 10 tests ...\nconnectivity test failed: 8 tests failed\n');
    expect(r).toMatchObject({ verdict: 'fail', failed: 8 });
  });

  it('calls an empty log inconclusive, never a pass', () => {
    const r = parseConnectivityConsole('');
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toBe('no verdict line: the log never reached the test run (no ✅ or ❌ summary)');
  });
});
