import { describe, expect, it } from 'vitest';
import { bracket, childDn, isWithin, parentDn, splitDn, unbracket } from '../../../shared/aci/dn.js';
import {
  canonicalDn, InvalidRn, namingProps, parseDn, parseRn, rnFor, tryParseRn, UnknownAciClass, writableProps,
} from '../../../shared/aci/classes.js';

const peerDn = 'uni/tn-t/out-o/lnodep-np/lifp-ip/vlifp-[topology/pod-1/node-101]-[vlan-300]/peerP-[192.168.2.0/24]';

describe('DNs', () => {
  it('splits a DN into RNs keeping slashes inside brackets', () => {
    expect(splitDn(peerDn)).toEqual([
      'uni', 'tn-t', 'out-o', 'lnodep-np', 'lifp-ip', 'vlifp-[topology/pod-1/node-101]-[vlan-300]', 'peerP-[192.168.2.0/24]',
    ]);
  });

  it('keeps nested brackets in one RN', () => {
    expect(splitDn('uni/tn-t/out-o/lnodep-n/lifp-i/rspathL3OutAtt-[topology/pod-1/paths-101/pathep-[eth1/11]]/peerP-[1.1.1.1]'))
      .toHaveLength(7);
  });

  it('finds the parent and joins a child', () => {
    expect(parentDn(peerDn)).toBe('uni/tn-t/out-o/lnodep-np/lifp-ip/vlifp-[topology/pod-1/node-101]-[vlan-300]');
    expect(parentDn('uni')).toBe('');
    expect(childDn('uni/tn-t', 'ctx-v')).toBe('uni/tn-t/ctx-v');
    expect(childDn('', 'uni')).toBe('uni');
  });

  it('brackets names that contain a slash and only those', () => {
    expect(bracket('10.0.0.0/8')).toBe('[10.0.0.0/8]');
    expect(bracket('prod')).toBe('prod');
    expect(unbracket('[eth1/11]')).toBe('eth1/11');
    expect(unbracket('[a]-[b]')).toBe('[a]-[b]');
  });

  it('tells whether a DN sits under another by RN, not by string prefix', () => {
    expect(isWithin('uni/tn-a/ctx-v', 'uni/tn-a')).toBe(true);
    expect(isWithin('uni/tn-ab/ctx-v', 'uni/tn-a')).toBe(false);
  });
});

describe('class registry', () => {
  it.each([
    ['fvTenant', { name: 'k8s' }, 'tn-k8s'],
    ['l3extVirtualLIfP', { nodeDn: 'topology/pod-1/node-101', encap: 'vlan-300' }, 'vlifp-[topology/pod-1/node-101]-[vlan-300]'],
    ['l3extRsNodeL3OutAtt', { tDn: 'topology/pod-1/node-101' }, 'rsnodeL3OutAtt-[topology/pod-1/node-101]'],
    ['bgpPeerP', { addr: '192.168.2.0/24' }, 'peerP-[192.168.2.0/24]'],
    ['bgpAsP', {}, 'as'],
    ['l3extSubnet', { ip: '10.0.10.0/24' }, 'extsubnet-[10.0.10.0/24]'],
    ['fvEPSelector', { matchExpression: "ip=='192.168.3.200/32'" }, "epselector-[ip=='192.168.3.200/32']"],
    ['l3extRsDynPathAtt', { tDn: 'uni/phys-k8s-phys' }, 'rsdynPathAtt-[uni/phys-k8s-phys]'],
    ['l3extRsEctx', {}, 'rsectx'],
    ['fvnsVlanInstP', { name: 'k8s-vlans', allocMode: 'static' }, 'vlanns-[k8s-vlans]-static'],
    ['fvnsEncapBlk', { from: 'vlan-300', to: 'vlan-399' }, 'from-[vlan-300]-to-[vlan-399]'],
    ['configSnapshotCont', { target: 'uni/fabric/configexp-P' }, 'snapshots-[uni/fabric/configexp-P]'],
    ['bgpPeerEntry', { addr: '192.168.2.11' }, 'ent-[192.168.2.11]'],
  ])('builds and parses the RN of %s', (className, attrs, rn) => {
    expect(rnFor(className, attrs)).toBe(rn);
    const parsed = parseRn(rn);
    expect(parsed.className).toBe(className);
    expect(parsed.namingAttrs).toEqual(attrs);
  });

  it('resolves ambiguous RNs by the longest literal prefix and by parent class', () => {
    expect(tryParseRn('inst')?.className).toBe('bgpInst');
    expect(tryParseRn('instP-default_svc')?.className).toBe('l3extInstP');
    expect(tryParseRn('as', 'bgpInstPol')?.className).toBe('bgpAsP');
    expect(tryParseRn('tn-x', 'fvAp')).toBeUndefined();
  });

  it('parses a whole DN with parent context and canonicalises bracketed simple names', () => {
    expect(parseDn(peerDn).map((p) => p.className)).toEqual([
      'polUni', 'fvTenant', 'l3extOut', 'l3extLNodeP', 'l3extLIfP', 'l3extVirtualLIfP', 'bgpPeerP',
    ]);
    expect(canonicalDn('uni/tn-t/out-o/lnodep-np/lifp-[ip]')).toBe('uni/tn-t/out-o/lnodep-np/lifp-ip');
  });

  it('lists naming props in RN order and the props a POST may set', () => {
    expect(namingProps('l3extVirtualLIfP')).toEqual(['nodeDn', 'encap']);
    expect(writableProps('fvTenant').has('descr')).toBe(true);
    expect(writableProps('fvTenant').has('description')).toBe(false);
  });

  it('throws named errors for unknown classes, missing naming props and bad RNs', () => {
    expect(() => rnFor('fvFoobar', {})).toThrow(UnknownAciClass);
    expect(() => rnFor('fvTenant', {})).toThrow(InvalidRn);
    expect(() => parseRn('nonsense-x')).toThrow(InvalidRn);
  });
});
