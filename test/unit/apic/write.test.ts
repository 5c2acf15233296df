import { beforeEach, describe, expect, it } from 'vitest';
import { parseBody } from '../../../local/lab/apic/body.js';
import { ApicLabError } from '../../../local/lab/apic/lab-error.js';
import { Mit } from '../../../local/lab/apic/mit.js';
import { dumpPolicy } from '../../../local/lab/apic/policy-scope.js';
import { seedScenario } from '../../../local/lab/apic/scenario.js';
import { applyDelete, applyPost } from '../../../local/lab/apic/write.js';

const now = '2025-01-01T00:00:00.000+00:00';
const tn = 'uni/tn-k8s-prod-a';
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

const l3out = (name: string, rtrId: string) => ({
  l3extOut: {
    attributes: { name },
    children: [
      { l3extRsEctx: { attributes: { tnFvCtxName: 'vrf-1' } } },
      { l3extLNodeP: { attributes: { name: 'np' }, children: [
        { l3extRsNodeL3OutAtt: { attributes: { tDn: 'topology/pod-1/node-101', rtrId } } },
      ] } },
    ],
  },
});

beforeEach(() => {
  mit = new Mit();
  seedScenario(mit, 'default', now);
});

describe('POST semantics', () => {
  it('creates nested children with DNs built from their naming properties and fills APIC defaults', () => {
    post(`${tn}/out-o1`, l3out('o1', '1.1.1.101'));
    const att = mit.get(`${tn}/out-o1/lnodep-np/rsnodeL3OutAtt-[topology/pod-1/node-101]`);
    expect(att?.attrs).toMatchObject({ tDn: 'topology/pod-1/node-101', rtrId: '1.1.1.101', rtrIdLoopBack: 'yes', annotation: '' });
    expect(mit.get(`${tn}/out-o1`)?.attrs).toMatchObject({ name: 'o1', enforceRtctrl: 'export', targetDscp: 'unspecified' });
  });

  it('accepts a whole tree posted to uni with polUni', () => {
    post('uni', { polUni: { attributes: {}, children: [{ fvTenant: { attributes: { name: 't2' }, children: [{ fvCtx: { attributes: { name: 'v' } } }] } }] } });
    expect(mit.get('uni/tn-t2/ctx-v')?.className).toBe('fvCtx');
  });

  it('answers 103 to status created on an existing MO and upserts without status', () => {
    expect(refusal(() => post(tn, { fvTenant: { attributes: { name: 'k8s-prod-a', status: 'created' } } }))).toMatchObject({ httpStatus: 400, code: '103' });
    post(tn, { fvTenant: { attributes: { descr: 'prod' } } });
    expect(mit.get(tn)?.attrs.descr).toBe('prod');
  });

  it('answers 102 to status modified on a missing MO and to a child of a missing parent', () => {
    expect(refusal(() => post('uni/tn-nope', { fvTenant: { attributes: { status: 'modified' } } })).code).toBe('102');
    expect(refusal(() => post('uni/tn-nope/ctx-v', { fvCtx: { attributes: {} } })).text).toBe('configured object ((Dn0)) not found Dn0=uni/tn-nope/ctx-v, ');
  });

  it('refuses unknown classes (122) and unknown attributes (400) with the APIC texts', () => {
    expect(refusal(() => post(tn, { fvTenant: { attributes: {}, children: [{ fvFoobar: { attributes: { name: 'x' } } }] } }))).toMatchObject({ code: '122', text: 'unknown managed object class fvFoobar' });
    expect(refusal(() => post(tn, { fvTenant: { attributes: { description: 'x' } } }))).toMatchObject({ code: '400', text: "unknown attribute 'description' in element 'fvTenant'" });
  });

  it('refuses to change a naming or create-only property', () => {
    const vlifp = `${tn}/out-o1/lnodep-np/lifp-ip/vlifp-[topology/pod-1/node-101]-[vlan-300]`;
    post(`${tn}/out-o1`, l3out('o1', '1.1.1.101'));
    post(`${tn}/out-o1/lnodep-np/lifp-ip`, { l3extLIfP: { attributes: { name: 'ip' } } });
    post(vlifp, { l3extVirtualLIfP: { attributes: { ifInstT: 'ext-svi', addr: '192.168.2.1/24' } } });
    expect(refusal(() => post(vlifp, { l3extVirtualLIfP: { attributes: { ifInstT: 'l3-port' } } })).text).toBe(
      'Create-only and naming props cannot be modified after creation, class=l3extVirtualLIfP, prop=ifInstT',
    );
    expect(refusal(() => post(vlifp, { l3extVirtualLIfP: { attributes: { encap: 'vlan-301' } } })).text).toMatch(/prop=encap/);
  });

  it('applies a POST as one transaction: an error in the last child leaves the tree unchanged', () => {
    const before = JSON.stringify(dumpPolicy(mit));
    refusal(() => post(tn, { fvTenant: { attributes: { descr: 'changed' }, children: [
      { fvCtx: { attributes: { name: 'new-vrf' } } },
      { fvAp: { attributes: { name: 'ap', bogus: '1' } } },
    ] } }));
    expect(JSON.stringify(dumpPolicy(mit))).toBe(before);
  });

  it('refuses a different router id for the same node in another L3Out of the same VRF (NaC #258)', () => {
    post(`${tn}/out-o1`, l3out('o1', '1.1.1.101'));
    const err = refusal(() => post(`${tn}/out-o2`, l3out('o2', '9.9.9.9')));
    expect(err.code).toBe('1');
    expect(err.text).toMatch(/^Invalid Configuration - VRF Validation failed .*Different RouterId exists for node topology\/pod-1\/node-101/);
    expect(mit.get(`${tn}/out-o2`)).toBeUndefined();
    post(`${tn}/out-o3`, l3out('o3', '1.1.1.101'));
    expect(mit.get(`${tn}/out-o3`)).toBeDefined();
  });

  it('keeps relations whose target does not exist (missing-target, not an error)', () => {
    post(`${tn}/out-o1`, { l3extOut: { attributes: { name: 'o1' }, children: [{ l3extRsL3DomAtt: { attributes: { tDn: 'uni/l3dom-nowhere' } } }] } });
    expect(mit.get(`${tn}/out-o1/rsl3DomAtt`)?.attrs.tDn).toBe('uni/l3dom-nowhere');
  });

  it('deletes subtrees by status deleted and by DELETE, and a DELETE of nothing succeeds', () => {
    post(`${tn}/out-o1`, l3out('o1', '1.1.1.101'));
    post(`${tn}/out-o1`, { l3extOut: { attributes: {}, children: [{ l3extLNodeP: { attributes: { name: 'np', status: 'deleted' } } }] } });
    expect(mit.get(`${tn}/out-o1/lnodep-np/rsnodeL3OutAtt-[topology/pod-1/node-101]`)).toBeUndefined();
    expect(applyDelete(mit, `${tn}/out-o1`)).toHaveLength(1);
    expect(mit.get(`${tn}/out-o1/rsectx`)).toBeUndefined();
    expect(applyDelete(mit, `${tn}/out-o1`)).toEqual([]);
  });

  it('reports what changed for rsp-subtree=modified and nothing when the POST changes nothing', () => {
    const first = post(`${tn}/ctx-v2`, { fvCtx: { attributes: { name: 'v2' }, children: [{ vzAny: { attributes: { matchT: 'All' } } }] } });
    expect(first.modified[0]?.fvCtx?.attributes.status).toBe('created');
    expect(first.modified[0]?.fvCtx?.children?.[0]?.vzAny?.attributes.status).toBe('created');
    const again = post(`${tn}/ctx-v2`, { fvCtx: { attributes: { name: 'v2' }, children: [{ vzAny: { attributes: { matchT: 'All' } } }] } });
    expect(again.modified).toEqual([]);
    expect(again.changes).toEqual([]);
  });

  it('normalises bracketed simple names in URLs (lifp-[ip] is lifp-ip)', () => {
    post(`${tn}/out-o1`, l3out('o1', '1.1.1.101'));
    post(`${tn}/out-o1/lnodep-np/lifp-[ip]`, { l3extLIfP: { attributes: { name: 'ip' } } });
    expect(mit.get(`${tn}/out-o1/lnodep-np/lifp-ip`)?.attrs.name).toBe('ip');
  });
});
