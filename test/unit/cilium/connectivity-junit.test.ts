import { describe, expect, it } from 'vitest';
import { parseConnectivityJunit, summariseConnectivityJunit } from '../../../shared/cilium/parsers/connectivity-junit.js';
import { attrOf, attrsOf, decodeEntities, readXmlLeniently } from '../../../shared/cilium/parsers/lenient-xml.js';
import { readConnectivityResult } from '../../../shared/cilium/parsers/connectivity-result.js';
import { readFixture } from './cluster-fixtures.js';

describe('lenient XML reader', () => {
  it('keeps every value of a repeated attribute instead of rejecting the document', () => {
    const doc = readXmlLeniently('<a x="1" x="2" y=\'3\'/>');
    const a = doc.root.children[0];
    expect(a && attrsOf(a, 'x')).toEqual(['1', '2']);
    expect(a && attrOf(a, 'y')).toBe('3');
    expect(doc.truncated).toBe(false);
  });

  it('decodes named and numeric entities, including Go\'s &#xA; and &#34;', () => {
    expect(decodeEntities('a&#xA;b &#34;q&#34; &lt;&gt;&amp;&apos;&#9;')).toBe('a\nb "q" <>&\'\t');
    expect(decodeEntities('&unknown;')).toBe('&unknown;');
  });

  it('reads CDATA, skips comments and closes what a truncated file left open', () => {
    const doc = readXmlLeniently('<?xml version="1.0"?><!-- c --><r><t><![CDATA[<raw>]]></t><u>x');
    expect(doc.truncated).toBe(true);
    const r = doc.root.children[0];
    expect(r?.children.map((c) => c.name)).toEqual(['t', 'u']);
    expect(r?.children[0]?.text).toBe('<raw>');
  });

  it('ignores a stray closing tag', () => {
    const doc = readXmlLeniently('<r></x><c/></r>');
    expect(doc.root.children[0]?.children.map((c) => c.name)).toEqual(['c']);
    expect(doc.truncated).toBe(false);
  });
});

describe('connectivity test JUnit parser', () => {
  it('reads a passing file: counts, skipped cases and testsuites@disabled', () => {
    const j = parseConnectivityJunit(readFixture('junit', 'pass.xml'));
    expect(j).toMatchObject({ tests: 3, failures: 0, skipped: 1, truncated: false });
    expect(j.cases.map((c) => [c.name, c.status])).toEqual([['no-policies', 'passed'], ['pod-to-pod-encryption', 'skipped'], ['to-entities-world', 'passed']]);
    expect(summariseConnectivityJunit(j)).toMatchObject({ source: 'junit', verdict: 'pass', tests: 2, skipped: 1, failed: 0 });
  });

  it('keeps all duplicate failureMessage attributes and decodes their newlines and quotes', () => {
    const j = parseConnectivityJunit(readFixture('junit', 'failure-duplicate-failure-message.xml'));
    expect(j).toMatchObject({ tests: 4, failures: 2, skipped: 1 });
    const fqdns = j.cases.find((c) => c.name === 'to-fqdns');
    expect(fqdns?.failure?.messages).toEqual([
      'command "curl http://one.one.one.one:80" failed: command terminated with exit code 28',
      'command "curl https://one.one.one.one:443" failed: command terminated with exit code 28',
    ]);
    expect(fqdns?.failure?.actions).toEqual([
      'to-fqdns/pod-to-world/http-to-one-one-one-one-0: cilium-test-1/client-645b68dcf7-s5mdb (10.244.1.45) -> one-one-one-one-http (one.one.one.one:80)',
      'to-fqdns/pod-to-world/https-to-one-one-one-one-0: cilium-test-1/client-645b68dcf7-s5mdb (10.244.1.45) -> one-one-one-one-https (one.one.one.one:443)',
    ]);
    const drops = j.cases.find((c) => c.name === 'no-unexpected-packet-drops');
    const message = drops?.failure?.messages[0] ?? '';
    expect(JSON.parse(message.slice(message.indexOf('{')))).toMatchObject({ labels: { reason: 'FIB lookup failed' }, value: 1 });
  });

  it('summarises failures with each failed test, its actions split into name and peers', () => {
    const r = summariseConnectivityJunit(parseConnectivityJunit(readFixture('junit', 'failure-duplicate-failure-message.xml')));
    expect(r).toMatchObject({ verdict: 'fail', tests: 3, failed: 2, reason: '2 of 3 tests failed' });
    expect(r.failedTests.map((t) => t.name)).toEqual(['no-unexpected-packet-drops', 'to-fqdns']);
    expect(r.failedTests[1]?.actions[1]).toEqual({
      name: 'to-fqdns/pod-to-world/https-to-one-one-one-one-0',
      peers: 'cilium-test-1/client-645b68dcf7-s5mdb (10.244.1.45) -> one-one-one-one-https (one.one.one.one:443)',
    });
  });

  it.each([
    ['setup-failure-infrastructure-provisioning.xml', 'timeout reached waiting for deployment cilium-test-1/client to become ready (last error: pods not ready)'],
    ['setup-failure-legacy-name.xml', 'waiting for deployment echo-other-node to become ready has been interrupted: context deadline exceeded (last error: only 0 of 1 replicas are available)'],
  ])('recognises the single setup testcase of %s as a setup failure', (file, error) => {
    const j = parseConnectivityJunit(readFixture('junit', file));
    expect(j.setupFailure).toBe(error);
    const r = summariseConnectivityJunit(j);
    expect(r).toMatchObject({ verdict: 'fail', tests: 0, failed: 0, setupFailure: error });
    expect(r.failedTests).toEqual([]);
  });

  it('is inconclusive for a file cut off before its end, unless it already shows a failure', () => {
    const full = readFixture('junit', 'pass.xml');
    const cut = full.slice(0, full.indexOf('<testcase name="to-entities-world"'));
    expect(summariseConnectivityJunit(parseConnectivityJunit(cut))).toMatchObject({ verdict: 'inconclusive' });
    const failing = readFixture('junit', 'failure-duplicate-failure-message.xml');
    expect(summariseConnectivityJunit(parseConnectivityJunit(failing.slice(0, failing.indexOf('<testcase name="no-policies"')))).verdict).toBe('fail');
  });

  it('is inconclusive for a JUnit file without test cases', () => {
    expect(summariseConnectivityJunit(parseConnectivityJunit('<?xml version="1.0"?><testsuites tests="0"></testsuites>')).verdict).toBe('inconclusive');
  });

  it('tells JUnit from a console log by its first characters', () => {
    expect(readConnectivityResult(readFixture('junit', 'pass.xml')).source).toBe('junit');
    expect(readConnectivityResult('  <testsuites tests="1"><testcase name="a" status="passed"/></testsuites>').source).toBe('junit');
    expect(readConnectivityResult(readFixture('console', 'success-with-namespace.log')).source).toBe('console');
  });
});
