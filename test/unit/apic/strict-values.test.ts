import { beforeEach, describe, expect, it } from 'vitest';
import { parseBody } from '../../../local/lab/apic/body.js';
import { ApicLabError } from '../../../local/lab/apic/lab-error.js';
import { Mit } from '../../../local/lab/apic/mit.js';
import { resolveRelations } from '../../../local/lab/apic/relations.js';
import { seedScenario } from '../../../local/lab/apic/scenario.js';
import { applyPost } from '../../../local/lab/apic/write.js';

// The lab APIC refuses what a real APIC refuses, with the same codes and texts (reference/aci.md
// §2), and stores what it accepts in the APIC's canonical form.

const now = '2025-01-01T00:00:00.000+00:00';
const tn = 'uni/tn-k8s-prod-a';
const out = `${tn}/out-o1`;
const svi = `${out}/lnodep-np/lifp-ip/vlifp-[topology/pod-1/node-101]-[vlan-300]`;
let mit: Mit;

function post(dn: string, body: unknown): ReturnType<typeof applyPost> {
  return applyPost(mit, dn, parseBody(JSON.stringify(body), 'json'), now);
}

function refusal(fn: () => unknown): ApicLabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApicLabError) return err;
    throw err;
  }
  throw new Error('expected the APIC to refuse the request, it accepted it');
}

/** An L3Out with one floating SVI whose attributes (and its BGP peer's) the test chooses. */
function floatingSvi(sviAttrs: Record<string, string> = {}, peerAttrs: Record<string, string> = {}, asn = '64512'): unknown {
  return {
    l3extOut: { attributes: { name: 'o1' }, children: [
      { l3extLNodeP: { attributes: { name: 'np' }, children: [
        { l3extLIfP: { attributes: { name: 'ip' }, children: [
          { l3extVirtualLIfP: { attributes: { nodeDn: 'topology/pod-1/node-101', encap: 'vlan-300', addr: '192.168.2.1/24', ifInstT: 'ext-svi', ...sviAttrs }, children: [
            { bgpPeerP: { attributes: { addr: '192.168.2.0/24', ...peerAttrs }, children: [{ bgpAsP: { attributes: { asn } } }] } },
          ] } },
        ] } },
      ] } },
    ] },
  };
}

beforeEach(() => {
  mit = new Mit();
  seedScenario(mit, 'default', now);
});

describe('code 120: a value the property type cannot hold', () => {
  it.each([
    ['an enum outside its values (l3extVirtualLIfP.mode)', { mode: 'trunk' }, {}, 'mode', 'trunk'],
    ['an enum outside its values (l3extVirtualLIfP.encapScope)', { encapScope: 'global' }, {}, 'encapScope', 'global'],
    ['a VLAN encap above 4094', { encap: 'vlan-4095' }, {}, 'encap', 'vlan-4095'],
    ['an MTU below 576', { mtu: '500' }, {}, 'mtu', '500'],
    ['an address that is not one', { addr: '192.168.2.300/24' }, {}, 'addr', '192.168.2.300/24'],
    ['a flag outside the list (bgpPeerP.ctrl)', {}, { ctrl: 'send-com,next-hop-self' }, 'ctrl', 'send-com,next-hop-self'],
    ['a TTL of 0 (range 1–255)', {}, { ttl: '0' }, 'ttl', '0'],
    ['a TTL of 256', {}, { ttl: '256' }, 'ttl', '256'],
  ])('refuses %s', (_what, sviAttrs, peerAttrs, prop, value) => {
    const err = refusal(() => post(out, floatingSvi(sviAttrs, peerAttrs)));
    expect(err).toMatchObject({ httpStatus: 400, code: '120' });
    expect(err.text).toMatch(new RegExp(`^unknown property value ${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, , name ${prop}, class (l3extVirtualLIfP|bgpPeerP) \\[\\(Dn0\\)\\] Dn0=uni/tn-k8s-prod-a/out-o1/`));
    expect(mit.get(out)).toBeUndefined();
  });

  it('refuses a remote AS of 0 and one above 4294967295 (bgpAsP.asn)', () => {
    expect(refusal(() => post(out, floatingSvi({}, {}, '0'))).text).toBe(
      `unknown property value 0, , name asn, class bgpAsP [(Dn0)] Dn0=${svi}/peerP-[192.168.2.0/24]/as, `,
    );
    expect(refusal(() => post(out, floatingSvi({}, {}, '4294967296'))).code).toBe('120');
    post(out, floatingSvi({}, {}, '4294967295'));
    expect(mit.get(`${svi}/peerP-[192.168.2.0/24]/as`)?.attrs.asn).toBe('4294967295');
  });

  it('refuses an l3extSubnet scope outside its flag list', () => {
    const body = { l3extOut: { attributes: { name: 'o1' }, children: [
      { l3extInstP: { attributes: { name: 'svc' }, children: [{ l3extSubnet: { attributes: { ip: '10.0.10.0/24', scope: 'import-security,export' } } }] } },
    ] } };
    expect(refusal(() => post(out, body))).toMatchObject({ code: '120' });
  });
});

describe('code 801: a string outside its length or pattern', () => {
  it('refuses a descr with brackets, naming the MO by its RN', () => {
    const err = refusal(() => post(tn, { fvTenant: { attributes: { descr: 'This is an [invalid] description' } } }));
    expect(err).toMatchObject({ httpStatus: 400, code: '801', text: "property descr of tn-k8s-prod-a failed validation for value 'This is an [invalid] description'" });
  });

  it('refuses a name with a space and one longer than 64 characters', () => {
    expect(refusal(() => post(tn, { fvTenant: { attributes: {}, children: [{ fvAp: { attributes: { name: 'my ap' } } }] } })).code).toBe('801');
    const long = 'a'.repeat(65);
    expect(refusal(() => post(tn, { fvTenant: { attributes: {}, children: [{ fvAp: { attributes: { name: long } } }] } })).text).toBe(
      `property name of ap-${long} failed validation for value '${long}'`,
    );
  });
});

describe('code 122: an unknown class', () => {
  it('refuses an unknown class at the top of the body and nested in it, changing nothing', () => {
    expect(refusal(() => post('uni', { fvFoobar: { attributes: { name: 'x' } } }))).toMatchObject({ httpStatus: 400, code: '122', text: 'unknown managed object class fvFoobar' });
    expect(refusal(() => post(tn, { fvTenant: { attributes: {}, children: [{ fvCtx: { attributes: { name: 'new' } } }, { bgpPeerX: { attributes: {} } }] } })).code).toBe('122');
    expect(mit.get(`${tn}/ctx-new`)).toBeUndefined();
  });
});

describe('JSON types: APIC attributes are strings', () => {
  it.each([
    ['a number', { asn: 64512 }],
    ['a boolean', { asn: true }],
  ])('refuses %s with a 400 JSON parsing error', (_what, attributes) => {
    const raw = JSON.stringify({ bgpAsP: { attributes } });
    const err = refusal(() => applyPost(mit, `${svi}/peerP-[192.168.2.0/24]/as`, parseBody(raw, 'json'), now));
    expect(err).toMatchObject({ httpStatus: 400, code: '400' });
    expect(err.text).toMatch(/^JSON parsing failed - .*attribute values must be JSON strings/);
  });
});

describe('canonical values', () => {
  it('stores flag lists sorted and deduplicated, whatever order they were posted in', () => {
    post(out, floatingSvi({}, { ctrl: 'send-ext-com,nh-self,send-com,nh-self', peerCtrl: 'dis-conn-check,bfd', addrTCtrl: 'af-ucast,af-mcast' }));
    expect(mit.get(`${svi}/peerP-[192.168.2.0/24]`)?.attrs).toMatchObject({
      ctrl: 'nh-self,send-com,send-ext-com', peerCtrl: 'bfd,dis-conn-check', addrTCtrl: 'af-mcast,af-ucast',
    });
  });

  it('stores true/false as yes/no and MACs in upper case', () => {
    post(out, floatingSvi({ mac: '00:22:bd:f8:19:aa' }));
    post(`${out}/lnodep-np`, { l3extLNodeP: { attributes: {}, children: [{ l3extRsNodeL3OutAtt: { attributes: { tDn: 'topology/pod-1/node-101', rtrId: '1.1.1.101', rtrIdLoopBack: 'false' } } }] } });
    expect(mit.get(svi)?.attrs.mac).toBe('00:22:BD:F8:19:AA');
    expect(mit.get(`${out}/lnodep-np/rsnodeL3OutAtt-[topology/pod-1/node-101]`)?.attrs.rtrIdLoopBack).toBe('no');
  });

  it('creates the implicit default bgpRsPeerPfxPol under a new BGP peer', () => {
    post(out, floatingSvi());
    expect(mit.get(`${svi}/peerP-[192.168.2.0/24]/rspeerPfxPol`)?.className).toBe('bgpRsPeerPfxPol');
  });
});

describe('POST to an ancestor URL', () => {
  it('places an fvTenant posted to /api/mo/uni.json (as cisco.aci does) under uni', () => {
    post('uni', { fvTenant: { attributes: { name: 't2', descr: 'from uni' }, children: [{ fvCtx: { attributes: { name: 'v' } } }] } });
    expect(mit.get('uni/tn-t2')?.attrs).toMatchObject({ name: 't2', descr: 'from uni' });
    expect(mit.get('uni/tn-t2/ctx-v')?.className).toBe('fvCtx');
  });

  it('places a deeper MO by its dn attribute, and refuses one outside the URL', () => {
    post(out, floatingSvi());
    post('uni', { bgpPeerP: { attributes: { dn: `${svi}/peerP-[192.168.2.0/24]`, ttl: '2' } } });
    expect(mit.get(`${svi}/peerP-[192.168.2.0/24]`)?.attrs.ttl).toBe('2');
    expect(refusal(() => post(`${tn}/ap-x`, { fvCtx: { attributes: { dn: `${tn}/ctx-vrf-1` } } })).code).toBe('400');
  });
});

describe('relation resolution', () => {
  it('resolves a relation by name in the tenant: tDn, tCl and state formed', () => {
    post(out, { l3extOut: { attributes: { name: 'o1' }, children: [{ l3extRsEctx: { attributes: { tnFvCtxName: 'vrf-1' } } }] } });
    resolveRelations(mit);
    expect(mit.get(`${out}/rsectx`)?.attrs).toMatchObject({ tDn: `${tn}/ctx-vrf-1`, tCl: 'fvCtx', state: 'formed', tRn: 'ctx-vrf-1' });
  });

  it('falls back to tenant common, and says missing-target while neither tenant has the target', () => {
    post(out, { l3extOut: { attributes: { name: 'o1' }, children: [{ l3extRsEctx: { attributes: { tnFvCtxName: 'shared' } } }] } });
    resolveRelations(mit);
    expect(mit.get(`${out}/rsectx`)?.attrs).toMatchObject({ tDn: '', tCl: 'fvCtx', state: 'missing-target' });
    post('uni', { fvTenant: { attributes: { name: 'common' }, children: [{ fvCtx: { attributes: { name: 'shared' } } }] } });
    resolveRelations(mit);
    expect(mit.get(`${out}/rsectx`)?.attrs).toMatchObject({ tDn: 'uni/tn-common/ctx-shared', state: 'formed' });
  });

  it('resolves a relation by DN once its target exists, with the target class as tCl', () => {
    post(out, { l3extOut: { attributes: { name: 'o1' }, children: [{ l3extRsL3DomAtt: { attributes: { tDn: 'uni/l3dom-later' } } }] } });
    resolveRelations(mit);
    expect(mit.get(`${out}/rsl3DomAtt`)?.attrs).toMatchObject({ tDn: 'uni/l3dom-later', tCl: 'l3extDomP', state: 'missing-target' });
    post('uni', { l3extDomP: { attributes: { name: 'later' } } });
    resolveRelations(mit);
    expect(mit.get(`${out}/rsl3DomAtt`)?.attrs).toMatchObject({ tDn: 'uni/l3dom-later', tCl: 'l3extDomP', state: 'formed' });
  });

  it('resolves an empty name to the default policy (stateQual default-target)', () => {
    post(out, floatingSvi());
    post('uni/tn-common', { fvTenant: { attributes: { name: 'common' }, children: [{ bgpPeerPfxPol: { attributes: { name: 'default' } } }] } });
    resolveRelations(mit);
    expect(mit.get(`${svi}/peerP-[192.168.2.0/24]/rspeerPfxPol`)?.attrs).toMatchObject({
      tnBgpPeerPfxPolName: '', tDn: 'uni/tn-common/bgpPfxP-default', state: 'formed', stateQual: 'default-target',
    });
  });
});
