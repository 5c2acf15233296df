import { beforeAll, describe, expect, it } from 'vitest';
import { ApicLabError } from '../../../local/lab/apic/lab-error.js';
import { Mit } from '../../../local/lab/apic/mit.js';
import { runQuery } from '../../../local/lab/apic/query.js';
import { seedScenario } from '../../../local/lab/apic/scenario.js';

let mit: Mit;
beforeAll(() => {
  mit = new Mit();
  seedScenario(mit, 'full-l3out', '2025-01-01T00:00:00.000+00:00');
});

const out = 'uni/tn-k8s-prod-a/out-prod-a-l3out';
const dnsOf = (imdata: ReturnType<typeof runQuery>['imdata']): string[] =>
  imdata.map((mo) => Object.values(mo)[0]?.attributes.dn ?? '');

describe('query engine', () => {
  it('answers an MO query with strings only, dn, childAction and status present', () => {
    const r = runQuery(mit, { kind: 'mo', dn: 'uni/tn-k8s-prod-a' }, {});
    expect(r.totalCount).toBe(1);
    const attrs = r.imdata[0]?.fvTenant?.attributes ?? {};
    expect(attrs).toMatchObject({ dn: 'uni/tn-k8s-prod-a', name: 'k8s-prod-a', childAction: '', status: '', descr: '' });
    expect(Object.values(attrs).every((v) => typeof v === 'string')).toBe(true);
  });

  it('answers an empty imdata for an MO that does not exist', () => {
    expect(runQuery(mit, { kind: 'mo', dn: 'uni/tn-nope' }, {})).toEqual({ totalCount: 0, imdata: [] });
  });

  it('counts ext EPGs per L3Out with query-target=children and rsp-subtree-include=count', () => {
    const r = runQuery(mit, { kind: 'mo', dn: out }, { 'query-target': 'children', 'target-subtree-class': 'l3extInstP', 'rsp-subtree-include': 'count' });
    expect(r.imdata).toEqual([{ moCount: { attributes: { childAction: '', count: '249', dn: '', status: '' } } }]);
  });

  it('pages class queries with a grand totalCount', () => {
    const p0 = runQuery(mit, { kind: 'class', className: 'l3extInstP' }, { 'page-size': '100', page: '0' });
    const p2 = runQuery(mit, { kind: 'class', className: 'l3extInstP' }, { 'page-size': '100', page: '2' });
    expect(p0.totalCount).toBe(249);
    expect(p0.imdata).toHaveLength(100);
    expect(p2.imdata).toHaveLength(49);
    expect(dnsOf(p0.imdata)).not.toContain(dnsOf(p2.imdata)[0]);
  });

  it('filters class queries by attribute and orders them', () => {
    const leaves = runQuery(mit, { kind: 'class', className: 'fabricNode' }, { 'query-target-filter': 'eq(fabricNode.role,"leaf")', 'order-by': 'fabricNode.id|desc' });
    expect(leaves.imdata.map((mo) => mo.fabricNode?.attributes.id)).toEqual(['104', '103', '102', '101']);
  });

  it('scopes a class query under a DN (/api/node/class/<dn>/<class>)', () => {
    const r = runQuery(mit, { kind: 'class', className: 'firmwareRunning', scopeDn: 'topology/pod-1/node-102' }, {});
    expect(dnsOf(r.imdata)).toEqual(['topology/pod-1/node-102/sys/fwstatuscont/running']);
    expect(r.imdata[0]?.firmwareRunning?.attributes).toMatchObject({ version: 'n9000-16.1(2f)', peVer: '6.1(2f)' });
  });

  it('returns only the asked classes in rsp-subtree=full, keeping the path to them', () => {
    const r = runQuery(mit, { kind: 'mo', dn: 'uni/tn-k8s-prod-a' }, { 'rsp-subtree': 'full', 'rsp-subtree-class': 'fvRsCEpToPathEp' });
    const ap = r.imdata[0]?.fvTenant?.children ?? [];
    expect(ap.map((c) => Object.keys(c)[0])).toEqual(['fvAp']);
    const epg = ap[0]?.fvAp?.children?.[0]?.fvAEPg;
    const ceps = epg?.children ?? [];
    expect(ceps).toHaveLength(5);
    expect(ceps[0]?.fvCEp?.children?.[0]?.fvRsCEpToPathEp?.attributes.tDn).toMatch(/^topology\/pod-1\/paths-10[1-3]\/pathep-\[eth1\/1\d\]$/);
  });

  it('limits properties with rsp-prop-include', () => {
    const config = runQuery(mit, { kind: 'mo', dn: `${out}/rsectx` }, { 'rsp-prop-include': 'config-only' }).imdata[0]?.l3extRsEctx?.attributes;
    expect(config).toEqual({ annotation: '', dn: `${out}/rsectx`, tnFvCtxName: 'vrf-1' });
    const naming = runQuery(mit, { kind: 'mo', dn: out }, { 'rsp-prop-include': 'naming-only' }).imdata[0]?.l3extOut?.attributes;
    expect(naming).toEqual({ dn: out, name: 'prod-a-l3out' });
  });

  it('returns capacity statistics children with rsp-subtree-include=stats', () => {
    const r = runQuery(mit, { kind: 'class', className: 'eqptcapacityEntity' }, { 'query-target': 'self', 'rsp-subtree-include': 'stats', 'rsp-subtree-class': 'eqptcapacityPolUsage5min' });
    expect(r.totalCount).toBe(4);
    expect(r.imdata[0]?.eqptcapacityEntity?.children?.[0]?.eqptcapacityPolUsage5min?.attributes.polUsageCapCum).toBe('61440');
  });

  it('refuses unknown classes and malformed filters with 400', () => {
    expect(() => runQuery(mit, { kind: 'class', className: 'fvFoobar' }, {})).toThrow(ApicLabError);
    expect(() => runQuery(mit, { kind: 'class', className: 'fvTenant' }, { 'query-target-filter': 'eq(fvTenant.name' })).toThrow(/Incorrect filter format/);
    expect(() => runQuery(mit, { kind: 'class', className: 'fvTenant' }, { 'query-target': 'everything' })).toThrow(ApicLabError);
  });
});
