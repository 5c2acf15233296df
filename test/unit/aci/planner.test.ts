import { describe, expect, it } from 'vitest';
import { emptyAciFacts, planAci, renderAciDiff, type AciFacts } from '../../../shared/aci/index.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import type { PlanOp } from '../../../shared/plan/index.js';
import { applyAll, dc1Apic, factsOf, rollBack } from './support/apply.js';
import { dc1Facts, onboardSpec } from './support/dc1.js';

const tenant = 'uni/tn-k8s-prod-a';
const l3out = `${tenant}/out-prod-a-l3out`;
const svi101 = `${l3out}/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-101]-[vlan-300]`;
const svi102 = `${l3out}/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-102]-[vlan-300]`;

function withChange(spec: ChangeSpec, index: number, patch: Record<string, unknown>): ChangeSpec {
  return { ...spec, changes: spec.changes.map((c, i) => (i === index ? ({ ...c, ...patch } as typeof c) : c)) };
}

function allAbsent(spec: ChangeSpec): ChangeSpec {
  return { ...spec, changes: spec.changes.map((c) => ({ ...c, state: 'absent' }) as typeof c) };
}

function onboarded(): { apic: ReturnType<typeof dc1Apic>; facts: AciFacts; before: string } {
  const apic = dc1Apic();
  const before = apic.dump();
  applyAll(apic, planAci(onboardSpec(), dc1Facts()));
  return { apic, facts: factsOf(apic), before };
}

describe('planAci on a fresh fabric', () => {
  it('creates the tenant, VRF and everything below in one POST whose inverse deletes the tenant', () => {
    const ops = planAci(onboardSpec(), emptyAciFacts());
    expect(ops.map((op) => op.action)).toEqual(['create']);
    const op = ops[0] as PlanOp;
    expect(op.request).toMatchObject({ kind: 'apic', method: 'POST', dn: tenant });
    expect(op.request.kind === 'apic' && op.request.body?.fvTenant?.attributes).toEqual({
      name: 'k8s-prod-a', annotation: 'orchestrator:changeflow', status: 'created',
    });
    expect(op.inverse).toEqual([{ kind: 'apic', method: 'POST', dn: tenant, body: { fvTenant: { attributes: { name: 'k8s-prod-a', status: 'deleted' } } } }]);
    expect(op.inverseReadback).toEqual([{ target: 'apic', dn: tenant, absent: true }]);
  });

  it('leaves out the ignore-IGP-metric policy when the versions are unknown', () => {
    const dns = planAci(onboardSpec(), emptyAciFacts()).flatMap((op) => op.diff.map((d) => d.ref));
    expect(dns.some((dn) => dn.includes('bestpath-'))).toBe(false);
    expect(dns).toContain(`${svi101}/peerP-[192.168.2.0/24]/as`);
  });
});

describe('planAci on the dc1 lab fabric', () => {
  it('creates only what is missing under the existing tenant, with a readback per object', () => {
    const ops = planAci(onboardSpec(), dc1Facts());
    expect(ops).toHaveLength(1);
    const op = ops[0] as PlanOp;
    expect(op.action).toBe('create');
    const refs = op.diff.map((d) => d.ref);
    expect(refs).not.toContain(tenant);
    expect(refs).not.toContain(`${tenant}/ctx-vrf-1`);
    expect(refs).toContain(`${tenant}/bestpath-changeflow-ignore-igp`);
    expect(refs).toContain(`${l3out}/lnodep-anchors/protp/rsBestPathCtrlPol`);
    expect(op.readback).toHaveLength(refs.length);
    expect(op.readback).toContainEqual({
      target: 'apic', dn: `${svi101}/peerP-[192.168.2.0/24]/as`, attributes: { asn: '64512', annotation: 'orchestrator:changeflow' }, absent: false,
    });
    // Topmost new objects are sent with status "created" so a stale plan is refused (APIC 103).
    const tops = op.inverse[0]?.kind === 'apic' ? op.inverse[0].body?.fvTenant?.children ?? [] : [];
    expect(tops.map((c) => Object.keys(c)[0])).toEqual(['fvAp', 'rtctrlAttrP', 'bgpBestPathCtrlPol', 'bfdIfPol', 'bgpCtxPol', 'l3extOut', 'rtctrlProfile', 'rtctrlSubjP']);
  });

  it('puts the next-hop propagate route map on every floating-SVI peer and the pool prefixes in its match rule (6.1(2)+)', () => {
    const refs = planAci(onboardSpec(), dc1Facts()).flatMap((op) => op.diff.map((d) => d.ref));
    for (const svi of [svi101, svi102]) {
      expect(refs).toContain(`${svi}/peerP-[192.168.2.0/24]/rspeerToProfile-[${tenant}/prof-changeflow-nh-propagate]-import`);
    }
    expect(refs).toEqual(expect.arrayContaining([
      `${tenant}/prof-changeflow-nh-propagate/ctx-lb-pools/rsctxPToSubjP-changeflow-lb-pools`,
      `${tenant}/prof-changeflow-nh-propagate/ctx-lb-pools/scp/rsScopeToAttrP`,
      `${tenant}/attr-changeflow-nh-unchanged/nhunchanged`,
      `${tenant}/subj-changeflow-lb-pools/dest-[10.0.10.0/24]`,
    ]));
  });

  it('gives the anchors the peering timers, graceful restart and max AS limit in one bgpCtxPol on the protocol profile', () => {
    const spec = onboardSpec();
    const tuned = { ...spec, changes: spec.changes.map((c) => (c.type === 'bgpPeering' ? { ...c, gracefulRestart: false, maxAsLimit: 3, timers: { holdTimeSeconds: 30, keepAliveTimeSeconds: 10, connectRetryTimeSeconds: 60 } } : c)) };
    const [op] = planAci(tuned, dc1Facts());
    expect(op?.readback).toContainEqual({
      target: 'apic', dn: `${tenant}/bgpCtxP-changeflow-bgp-timers`, absent: false,
      attributes: { name: 'changeflow-bgp-timers', holdIntvl: '30', kaIntvl: '10', grCtrl: '', maxAsLimit: '3', annotation: 'orchestrator:changeflow' },
    });
    expect(op?.readback).toContainEqual({
      target: 'apic', dn: `${l3out}/lnodep-anchors/protp/rsbgpNodeCtxPol`, absent: false, attributes: { tnBgpCtxPolName: 'changeflow-bgp-timers', annotation: 'orchestrator:changeflow' },
    });
  });

  it('leaves next-hop propagate out before 6.1(2)', () => {
    const refs = planAci(onboardSpec(), { ...dc1Facts(), controllers: dc1Facts().controllers?.map((c) => ({ ...c, version: '6.0(2h)' })) })
      .flatMap((op) => op.diff.map((d) => d.ref));
    expect(refs.some((dn) => /prof-|subj-|attr-|rspeerToProfile/.test(dn))).toBe(false);
  });

  it('plans nothing once the plan has been applied (idempotent)', () => {
    const { facts } = onboarded();
    expect(planAci(onboardSpec(), facts)).toEqual([]);
  });

  it('keeps the configured best-path policy when a capture lacks the versions', () => {
    const { facts } = onboarded();
    const { controllers: _c, leaves: _l, ...versionless } = facts;
    expect(planAci(onboardSpec(), versionless)).toEqual([]);
  });

  it('rolls a full apply back to the byte-identical tree', () => {
    const apic = dc1Apic();
    const before = apic.dump();
    const ops = planAci(onboardSpec(), dc1Facts());
    applyAll(apic, ops);
    expect(apic.dump()).not.toBe(before);
    rollBack(apic, ops);
    expect(apic.dump()).toBe(before);
  });

  it('turns a clusterAsn change into one modify op whose inverse restores the old AS', () => {
    const { apic, facts } = onboarded();
    const before = apic.dump();
    const ops = planAci(withChange(onboardSpec(), 0, { clusterAsn: 64520 }), facts);
    expect(ops.map((op) => op.action)).toEqual(['modify']);
    const op = ops[0] as PlanOp;
    expect(renderAciDiff(ops)).toEqual([
      `~ ${svi101}/peerP-[192.168.2.0/24]/as  asn: 64512 → 64520`,
      `~ ${svi101.replace('node-101', 'node-102')}/peerP-[192.168.2.0/24]/as  asn: 64512 → 64520`,
    ]);
    expect(JSON.stringify(op.inverse)).toContain('"asn":"64512"');
    expect(JSON.stringify(op.inverse)).toContain('"status":"modified"');
    expect(op.inverseReadback).toContainEqual({ target: 'apic', dn: `${svi101}/peerP-[192.168.2.0/24]/as`, attributes: { asn: '64512' }, absent: false });
    applyAll(apic, ops);
    expect(apic.get(`${svi101}/peerP-[192.168.2.0/24]/as`)?.attrs.asn).toBe('64520');
    rollBack(apic, ops);
    expect(apic.dump()).toBe(before);
  });

  it('moves an anchor by deleting the old one first and creating the new one, and reverses exactly', () => {
    const { apic, facts } = onboarded();
    const before = apic.dump();
    const spec = onboardSpec();
    const peering = spec.changes[0];
    if (peering?.type !== 'bgpPeering') throw new Error('fixture');
    const moved = withChange(spec, 0, { anchors: [peering.anchors[0], { nodeId: 104, pod: 1, routerId: '1.1.1.104', address: '192.168.2.4/24' }] });
    const ops = planAci(moved, facts);
    expect(ops.map((op) => op.action)).toEqual(['delete', 'create']);
    const lines = renderAciDiff(ops);
    expect(lines).toContain(`- ${l3out}/lnodep-anchors/rsnodeL3OutAtt-[topology/pod-1/node-102]`);
    expect(lines).toContain(`- ${svi101.replace('node-101', 'node-102')}/peerP-[192.168.2.0/24]/as`);
    expect(lines).toContain(`+ ${svi101.replace('node-101', 'node-104')}`);
    // A partial apply (the delete went through, the create did not) is undone by the delete's inverse.
    applyAll(apic, ops.slice(0, 1));
    rollBack(apic, ops.slice(0, 1));
    expect(apic.dump()).toBe(before);
    applyAll(apic, ops);
    expect(planAci(moved, factsOf(apic))).toEqual([]);
  });

  it('switches BFD off by removing the BFD interface profile and the unused tenant BFD policy', () => {
    const { facts } = onboarded();
    const ops = planAci(withChange(onboardSpec(), 0, { bfd: false }), facts);
    expect(renderAciDiff(ops)).toEqual(expect.arrayContaining([
      `- ${l3out}/lnodep-anchors/lifp-floating-svi/bfdIfP`,
      `- ${tenant}/bfdIfPol-changeflow-bfd`,
      `~ ${svi101}/peerP-[192.168.2.0/24]  peerCtrl: bfd → ""`,
    ]));
  });
});

describe('planAci with state: absent', () => {
  it('removes everything the onboarding created and nothing else, back to the original tree', () => {
    const { apic, facts, before } = onboarded();
    const ops = planAci(allAbsent(onboardSpec()), facts);
    expect(ops.map((op) => op.action)).toEqual(['delete']);
    const removed = ops[0]?.readback.map((r) => (r.target === 'apic' ? r.dn : r.ref.name));
    expect(removed).toEqual([
      `${tenant}/ap-egress`, `${tenant}/attr-changeflow-nh-unchanged`, `${tenant}/bestpath-changeflow-ignore-igp`, `${tenant}/bfdIfPol-changeflow-bfd`,
      `${tenant}/bgpCtxP-changeflow-bgp-timers`, l3out,
      `${tenant}/prof-changeflow-nh-propagate`, `${tenant}/subj-changeflow-lb-pools`,
    ]);
    applyAll(apic, ops);
    expect(apic.dump()).toBe(before);
  });

  it('keeps objects it does not own and the containers they live in', () => {
    const { apic } = onboarded();
    apic.apply({ kind: 'apic', method: 'POST', dn: l3out, body: { l3extOut: { attributes: { name: 'prod-a-l3out' }, children: [{ l3extInstP: { attributes: { name: 'manual' } } }] } } });
    const ops = planAci(allAbsent(onboardSpec()), factsOf(apic));
    const lines = renderAciDiff(ops);
    expect(lines).not.toContain(`- ${l3out}`);
    expect(lines).not.toContain(`- ${l3out}/rsectx`);
    expect(lines).toContain(`- ${l3out}/lnodep-anchors`);
    expect(lines).toContain(`- ${l3out}/instP-default_svc`);
    expect(lines.some((l) => l.includes('instP-manual'))).toBe(false);
    expect(lines.some((l) => l.includes('out-core'))).toBe(false);
    applyAll(apic, ops);
    expect(apic.has(`${l3out}/instP-manual`)).toBe(true);
    expect(apic.get(`${l3out}/rsectx`)?.attrs.tnFvCtxName).toBe('vrf-1');
  });

  it('removes one pool\'s subnets from a shared external EPG and keeps the other pool\'s', () => {
    const spec = onboardSpec();
    const blue = { type: 'loadBalancerPool' as const, state: 'present' as const, name: 'pool-blue', blocks: ['10.0.11.0/25'], serviceSelector: { color: 'blue' }, externalEpg: 'default_svc' };
    const both: ChangeSpec = { ...spec, changes: [...spec.changes, blue] };
    const apic = dc1Apic();
    applyAll(apic, planAci(both, dc1Facts()));
    const redGone = withChange(both, 1, { state: 'absent' });
    const lines = renderAciDiff(planAci(redGone, factsOf(apic)));
    // Its prefix leaves the next-hop propagate match rule too; the other pool's stays.
    expect(lines).toEqual([`- ${l3out}/instP-default_svc/extsubnet-[10.0.10.0/24]`, `- ${tenant}/subj-changeflow-lb-pools/dest-[10.0.10.0/24]`]);
  });

  it('never deletes a tenant or VRF, even one changeflow created', () => {
    const apic = dc1Apic();
    const fresh = planAci(onboardSpec(), emptyAciFacts());
    apic.apply({ kind: 'apic', method: 'DELETE', dn: tenant });
    applyAll(apic, fresh);
    const lines = renderAciDiff(planAci(allAbsent(onboardSpec()), factsOf(apic)));
    expect(lines).not.toContain(`- ${tenant}`);
    expect(lines).not.toContain(`- ${tenant}/ctx-vrf-1`);
    expect(lines).toContain(`- ${l3out}`);
  });

  it('plans nothing for an absent change that was never applied', () => {
    expect(planAci(allAbsent(onboardSpec()), dc1Facts())).toEqual([]);
  });
});
