import { describe, expect, it } from 'vitest';
import { capacityCountValues, capacityTotalQuery, exactCountQueries } from '../../../shared/aci/facts/capacity-counts.js';
import { factsFromAgentResult } from '../../../shared/planner/change-facts.js';
import { PROTOCOL } from '../../../shared/agent-protocol/index.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { onboardSpec } from './support/dc1.js';

// The capacity counts as one APIC total (issue 14 part 3): the total bounds each count, decides
// every rule it can, and only the counts it cannot decide are asked again, each exactly.

const spec = onboardSpec();
const total = 'count:extEpgsFabric+esgsPerVrf+ipSelectorsFabric';
const moCount = (n: number) => [{ moCount: { attributes: { childAction: '', count: String(n), dn: '', status: '' } } }];
const withOnly = (s: ChangeSpec, type: ChangeSpec['changes'][number]['type']): ChangeSpec => ({ ...s, changes: s.changes.filter((c) => c.type === type) });

describe('the capacity total', () => {
  it('is one subtree count over the classes the spec\'s rules count, each with its own filter term', () => {
    expect(capacityTotalQuery(spec)).toEqual([{
      name: total, path: '/api/mo/uni.json',
      query: {
        'query-target': 'subtree', 'target-subtree-class': 'l3extInstP,fvRsScope,fvEPSelector', 'rsp-subtree-include': 'count',
        'query-target-filter': 'or(wcard(l3extInstP.dn,"uni/"),and(eq(fvRsScope.tnFvCtxName,"vrf-1"),wcard(fvRsScope.dn,"uni/tn-k8s-prod-a/")),wcard(fvEPSelector.matchExpression,"^ip"))',
      },
    }]);
    expect(capacityTotalQuery(withOnly(spec, 'loadBalancerPool')).map((q) => q.name)).toEqual(['count:extEpgsFabric']);
    expect(capacityTotalQuery(withOnly(spec, 'bgpPeering'))).toEqual([]);
  });

  it.each([
    ['far from every limit: nothing more', 100, []],
    ['599 with one ext EPG to add: at 600, still decided', 599, []],
    ['600: the ext-EPG count (limit 600) alone', 600, ['count:extEpgsFabric']],
    ['4000: ext EPGs and ESGs (limit 4000); the selectors (5000) are still decided', 4000, ['count:extEpgsFabric', 'count:esgsPerVrf']],
    ['5000: every count', 5000, ['count:extEpgsFabric', 'count:esgsPerVrf', 'count:ipSelectorsFabric']],
  ])('asks exactly what the total does not decide — %s', (_name, n, expected) => {
    expect(exactCountQueries(spec, [{ name: total, imdata: moCount(n) }]).map((q) => q.name)).toEqual(expected);
  });

  it('asks every count exactly when the total is missing or not a count, and nothing for a total of one count', () => {
    expect(exactCountQueries(spec, [])).toHaveLength(3);
    expect(exactCountQueries(spec, [{ name: total, imdata: [{ fvTenant: { attributes: { dn: 'uni/tn-x' } } }] }])).toHaveLength(3);
    expect(exactCountQueries(withOnly(spec, 'loadBalancerPool'), [])).toEqual([]);
  });
});

describe('capacity count values', () => {
  it('files the total as a bound of each count, and an exact count over its bound', () => {
    expect(capacityCountValues([{ name: total, imdata: moCount(650) }, { name: 'count:extEpgsFabric', imdata: moCount(598) }])).toEqual({
      values: { extEpgsFabric: 598, esgsPerVrf: 650, ipSelectorsFabric: 650 },
      atMost: ['esgsPerVrf', 'ipSelectorsFabric'],
    });
    expect(capacityCountValues([{ name: 'count:extEpgsFabric', imdata: moCount(3) }])).toEqual({ values: { extEpgsFabric: 3 }, atMost: [] });
  });

  it('ignores answers that are not counts of known keys', () => {
    expect(capacityCountValues([{ name: 'count:extEpgsFabric+aaaUser', imdata: moCount(1) }, { name: 'tenant', imdata: moCount(1) }])).toEqual({ values: {}, atMost: [] });
  });

  it('reaches the facts as counts with atMost, the ESG count under the spec\'s VRF', () => {
    const at = new Date(0).toISOString();
    const facts = factsFromAgentResult({
      protocol: PROTOCOL, changeId: 'c', step: 'gather-facts', agent: { name: 't', version: '0' }, startedAt: at, finishedAt: at,
      results: [{ type: 'aci.collect', responses: [
        { name: 'tenant', imdata: [{ fvTenant: { attributes: { dn: 'uni/tn-k8s-prod-a', name: 'k8s-prod-a' } } }], totalCount: 1 },
        { name: total, imdata: moCount(12), totalCount: 1 },
      ] }],
    }, spec).aci;
    expect(facts?.counts).toMatchObject({
      extEpgsFabric: 12, ipSelectorsFabric: 12, esgsPerVrf: { 'uni/tn-k8s-prod-a/ctx-vrf-1': 12 },
      atMost: ['extEpgsFabric', 'esgsPerVrf', 'ipSelectorsFabric'],
    });
  });
});
