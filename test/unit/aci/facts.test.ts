import { describe, expect, it } from 'vitest';
import {
  aciCollectQueries, aciFollowUpQueries, flattenImdata, InvalidAciFacts, leavesOfPath, parseAciFacts,
} from '../../../shared/aci/index.js';
import { ApicQuery } from '../../../shared/agent-protocol/index.js';
import { dc1Imdata, onboardSpec, readFixture } from './support/dc1.js';

const facts = parseAciFacts(dc1Imdata(), { tenant: 'k8s-prod-a' });

describe('parseAciFacts on a captured fabric', () => {
  it('reads controller and anchor-leaf versions, leaving spines out', () => {
    expect(facts.controllers?.map((c) => `${c.nodeId}:${c.version}`)).toEqual(['1:6.1(2f)', '2:6.1(2f)', '3:6.1(2f)']);
    expect(facts.leaves?.map((l) => l.nodeId)).toEqual([101, 102, 103, 104]);
    expect(facts.leaves?.[0]).toEqual({ nodeId: 101, pod: 1, role: 'leaf', version: 'n9000-16.1(2f)', peVer: '6.1(2f)' });
  });

  it('reads the fabric AS from uni/fabric/bgpInstP-default/as', () => {
    expect(facts.fabricAsn).toBe(65001);
  });

  it('indexes the tenant subtree by DN, children placed by parent DN + rn, volatile attributes dropped', () => {
    const att = facts.mos['uni/tn-k8s-prod-a/out-core/lnodep-border/rsnodeL3OutAtt-[topology/pod-1/node-103]'];
    expect(att?.className).toBe('l3extRsNodeL3OutAtt');
    expect(att?.attrs.rtrId).toBe('1.1.1.103');
    expect(att?.attrs).not.toHaveProperty('modTs');
    expect(att?.attrs).not.toHaveProperty('rn');
    expect(facts.mos['uni/tn-k8s-prod-a/out-core/instP-all-ext/extsubnet-[0.0.0.0/0]']?.attrs.scope).toBe('import-security');
  });

  it('keeps learned endpoints out of the config tree and other tenants out of it when a tenant is named', () => {
    expect(Object.keys(facts.mos).some((dn) => dn.includes('/cep-'))).toBe(false);
    expect(Object.keys(facts.mos).some((dn) => dn.startsWith('uni/tn-common'))).toBe(false);
    expect(Object.keys(parseAciFacts(dc1Imdata()).mos)).toContain('uni/tn-common/out-wan/instP-wan');
  });

  it('derives each endpoint\'s leaves from fvRsCEpToPathEp, fvIp and vPC paths', () => {
    expect(facts.endpoints).toEqual(expect.arrayContaining([
      { ip: '192.168.2.10', mac: '52:54:00:0A:00:10', leafIds: [101, 102] },
      { ip: '192.168.2.11', mac: '52:54:00:0A:00:11', leafIds: [101] },
      { ip: '192.168.2.14', mac: '52:54:00:0A:00:14', leafIds: [103] },
    ]));
    expect(facts.endpoints?.some((e) => e.ip === '0.0.0.0')).toBe(false);
  });

  it('counts external EPGs per L3Out and fabric-wide, and BGP peers per leaf', () => {
    expect(facts.counts).toEqual({
      extEpgsPerL3Out: { 'uni/tn-k8s-prod-a/out-core': 1, 'uni/tn-common/out-wan': 1 },
      extEpgsFabric: 2,
      esgsPerVrf: {},
      ipSelectorsFabric: 0,
      bgpPeersPerLeaf: { 101: 1, 103: 1 },
    });
  });

  it('resolves router ids and subnets to their VRF', () => {
    expect(facts.routerIds).toContainEqual({ nodeId: 101, pod: 1, rtrId: '1.1.1.101', l3out: 'uni/tn-k8s-prod-a/out-core', tenant: 'k8s-prod-a', vrf: 'vrf-1' });
    expect(facts.subnets?.map((s) => `${s.className} ${s.ip} ${s.vrf}`)).toEqual(['fvSubnet 192.168.3.1/24 vrf-1', 'l3extSubnet 0.0.0.0/0 vrf-1']);
  });

  it('reads BGP sessions, policy-CAM usage, the physical domain\'s VLAN pool and the limits catalogue', () => {
    expect(facts.bgpPeerEntries?.[0]).toMatchObject({ nodeId: 101, addr: '10.99.0.1', operSt: 'established', vrf: 'k8s-prod-a:vrf-1' });
    expect(facts.policyCam?.find((c) => c.nodeId === 101)).toEqual({ nodeId: 101, pod: 1, used: 61440, cap: 614400 });
    expect(facts.physDomains).toEqual([{ name: 'k8s-phys', vlanPool: 'uni/infra/vlanns-[k8s-pool]-static', vlanRanges: [{ from: 300, to: 399 }] }]);
    expect(facts.capRules).toEqual({ l3extInstP: 600, fvESg: 10000 });
  });
});

describe('parseAciFacts on partial captures', () => {
  it('reads ARP adjacencies with their leaf, VRF and port, from a class answer or a nested subtree', () => {
    const byClass = parseAciFacts([{ arpAdjEp: { attributes: {
      dn: 'topology/pod-1/node-205/sys/arp/inst/dom-common:Infra_BGP_VRF/db-ip/adj-[eth1/24.62]-[192.168.254.1]',
      ifId: 'eth1/24.62', ip: '192.168.254.1', mac: '00:A3:8E:EB:B3:3F', operSt: 'normal', physIfId: 'eth1/24', upTS: '2023-05-07T14:44:57.308+00:00',
    } } }]);
    expect(byClass.arpAdjacencies).toEqual([{ nodeId: 205, pod: 1, ip: '192.168.254.1', mac: '00:A3:8E:EB:B3:3F', vrf: 'common:Infra_BGP_VRF', ifId: 'eth1/24.62', physIfId: 'eth1/24' }]);
    const nested = parseAciFacts([{ arpDom: { attributes: { dn: 'topology/pod-1/node-101/sys/arp/inst/dom-k8s-prod-a:vrf-1', name: 'k8s-prod-a:vrf-1' }, children: [
      { arpDb: { attributes: { rn: 'db-ip', type: 'ip' }, children: [{ arpAdjEp: { attributes: { rn: 'adj-[vlan300]-[192.168.2.11]', physIfId: 'eth1/11' } } }] } },
    ] } }]);
    expect(nested.arpAdjacencies).toEqual([{ nodeId: 101, pod: 1, ip: '192.168.2.11', vrf: 'k8s-prod-a:vrf-1', ifId: 'vlan300', physIfId: 'eth1/11' }]);
  });

  it('leaves sections the capture did not cover undefined', () => {
    const only = parseAciFacts([readFixture('dc1/tenant-k8s-prod-a.json')]);
    expect(only.controllers).toBeUndefined();
    expect(only.fabricAsn).toBeUndefined();
    expect(only.policyCam).toBeUndefined();
    expect(only.endpoints).toBeUndefined();
    expect(only.bgpPeerEntries).toBeUndefined();
    expect(only.counts.bgpPeersPerLeaf).toBeUndefined();
    expect(only.tenants).toEqual(['k8s-prod-a']);
    expect(only.counts.extEpgsPerL3Out).toEqual({ 'uni/tn-k8s-prod-a/out-core': 1 });
  });

  it('accepts bare imdata arrays and single items and ignores moCount and error items', () => {
    const envelope = readFixture('dc1/controllers.json') as { imdata: unknown[] };
    const parsed = parseAciFacts([envelope.imdata, envelope.imdata[0], { moCount: { attributes: { count: '3', dn: '' } } }, { error: { attributes: { code: '400', text: 'x' } } }]);
    expect(parsed.controllers).toHaveLength(3);
  });

  it('merges attributes of one DN seen in several answers', () => {
    const mos = flattenImdata([
      { fvTenant: { attributes: { dn: 'uni/tn-a', name: 'a' } } },
      { fvTenant: { attributes: { dn: 'uni/tn-a', descr: 'from a class query' } } },
    ]);
    expect(mos).toEqual([{ className: 'fvTenant', dn: 'uni/tn-a', attrs: { name: 'a', descr: 'from a class query' } }]);
  });

  it('rebuilds a child\'s RN from its naming properties when the answer left out rn', () => {
    const mos = flattenImdata([{ l3extOut: { attributes: { dn: 'uni/tn-a/out-o' }, children: [{ l3extInstP: { attributes: { name: 'web' } } }] } }]);
    expect(mos.map((m) => m.dn)).toEqual(['uni/tn-a/out-o', 'uni/tn-a/out-o/instP-web']);
  });

  it.each([
    ['a non-string attribute', [{ fvTenant: { attributes: { dn: 'uni/tn-a', uid: 15374 } } }], /fvTenant\.attributes\.uid/],
    ['two classes in one item', [{ fvTenant: { attributes: {} }, fvCtx: { attributes: {} } }], /exactly one class/],
    ['a bare string', ['fvTenant'], /expected an APIC object/],
  ])('refuses %s with the path of the problem', (_what, input, message) => {
    expect(() => parseAciFacts(input)).toThrow(InvalidAciFacts);
    expect(() => parseAciFacts(input)).toThrow(message);
  });
});

describe('leavesOfPath', () => {
  it.each([
    ['topology/pod-1/paths-101/pathep-[eth1/11]', [101]],
    ['topology/pod-2/protpaths-1201-1202/pathep-[VPC_TEST_IPG]', [1201, 1202]],
    ['topology/pod-1/paths-101/extpaths-110/pathep-[eth1/1]', [101]],
    ['topology/pod-1/pathgrp-[1.1.1.1]', []],
    ['', []],
  ])('reads %s as leaves %j', (tDn, leaves) => {
    expect(leavesOfPath(tDn)).toEqual(leaves);
  });
});

describe('aciCollectQueries', () => {
  const queries = aciCollectQueries(onboardSpec());

  it('is one batch of valid, uniquely named agent queries', () => {
    expect(queries.map((q) => ApicQuery.parse(q))).toEqual(queries);
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
  });

  it('reads the fabric scoped to the change: the tenant without other ESGs and ext EPGs, fabric classes filtered, counts, then the anchors', () => {
    expect(queries.map((q) => q.name)).toEqual(['tenant', 'fabric-policy', 'count:extEpgsFabric+esgsPerVrf+ipSelectorsFabric']);
    const byName = Object.fromEntries(queries.map((q) => [q.name, q]));
    expect(byName.tenant?.query).toMatchObject({ 'rsp-subtree': 'full', 'rsp-prop-include': 'config-only' });
    expect(byName.tenant?.query?.['rsp-subtree-filter']).toContain('not(wcard(fvESg.dn,"uni/tn-k8s-prod-a/ap-egress/"))');
    expect(byName['fabric-policy']?.query?.['target-subtree-class']?.split(',')).toEqual(
      expect.arrayContaining(['physDomP', 'infraRsVlanNs', 'fvnsEncapBlk', 'bgpAsP', 'fvcapRule', 'fvEPSelector', 'fvSubnet', 'fvRsCtx']),
    );
    // The selectors the egress IP may be spelled as, not every selector of the fabric.
    expect(byName['fabric-policy']?.query?.['query-target-filter']).toMatch(/eq\(fvEPSelector\.matchExpression,"ip=='[0-9.]+\/32'"\)/);
    // The learned endpoints of the peering subnet, with their paths and IPs as children.
    expect(byName['fabric-policy']?.query?.['query-target-filter']).toContain('wcard(fvCEp.ip,"192.168.2.")');
    expect(byName['fabric-policy']?.query).toMatchObject({ 'rsp-subtree': 'children', 'rsp-subtree-class': 'fvRsCEpToPathEp,fvIp' });
    // One total over the three capacity counts (capacity-counts.ts): one request, not three.
    expect(byName['count:extEpgsFabric+esgsPerVrf+ipSelectorsFabric']?.query).toMatchObject({
      'query-target': 'subtree', 'target-subtree-class': 'l3extInstP,fvRsScope,fvEPSelector', 'rsp-subtree-include': 'count',
    });
    const [topology] = aciFollowUpQueries(onboardSpec(), []);
    expect(topology?.query?.['query-target-filter']).toContain('eq(fabricNode.dn,"topology/pod-1/node-101")');
    expect(topology?.query?.['query-target-filter']).toContain('wcard(arpAdjEp.dn,"/dom-k8s-prod-a:vrf-1/")');
  });
});
