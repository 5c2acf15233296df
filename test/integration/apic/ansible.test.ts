import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { makeUserCertificate } from '../../../local/lab/apic/user-certificate.js';
import { changedTasks, hasAnsible, runPlaybook, taskResult } from './ansible-run.js';

// Proof of fidelity: the unchanged cisco.aci collection (Debian's ansible) builds the whole
// design for prod-a against the lab (onboard.yml + design.yml), is idempotent on the second run,
// reads back what it created with the relations the APIC resolved, and gets the APIC's refusals.

const out = 'uni/tn-k8s-prod-a/out-prod-a-l3out';
const lifp = `${out}/lnodep-anchors/lifp-floating-svi`;
let lab: ApicLab;

type Mo = Record<string, { attributes: Record<string, string>; children?: Mo[] }>;
const attrsOf = (mo: unknown, cls: string): Record<string, string> => (mo as Mo)[cls]?.attributes ?? {};
const childrenOf = (mo: unknown, cls: string): Mo[] => (mo as Mo)[cls]?.children ?? [];

describe.skipIf(!hasAnsible)('cisco.aci playbooks against the APIC lab', () => {
  beforeAll(async () => {
    lab = await startApicLab({ backupDelayMs: 50 });
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('builds the design for prod-a: every task succeeds and the fabric holds the floating-SVI L3Out', async () => {
    const run = await runPlaybook(lab, 'design.yml');
    expect(run.stats.localhost).toMatchObject({ failures: 0, unreachable: 0 });
    expect(run.stats.localhost?.changed).toBeGreaterThan(10);

    const dump = lab.dump();
    expect(dump[`${out}/lnodep-anchors/rsnodeL3OutAtt-[topology/pod-1/node-102]`]?.l3extRsNodeL3OutAtt).toMatchObject({ rtrId: '1.1.1.102', rtrIdLoopBack: 'no' });
    expect(dump[`${lifp}/vlifp-[topology/pod-1/node-101]-[vlan-300]/rsdynPathAtt-[uni/phys-k8s-phys]`]?.l3extRsDynPathAtt).toMatchObject({ floatingAddr: '192.168.2.254/24' });
    expect(dump[`${lifp}/vlifp-[topology/pod-1/node-102]-[vlan-300]/peerP-[192.168.2.0/24]/as`]?.bgpAsP).toMatchObject({ asn: '64512' });
    expect(dump[`${out}/instP-default_svc/extsubnet-[10.0.10.0/24]`]?.l3extSubnet).toMatchObject({ scope: 'import-security', annotation: 'orchestrator:ansible' });
    expect(dump["uni/tn-k8s-prod-a/ap-egress/esg-frontend/epselector-[ip=='192.168.3.200/32']"]?.fvEPSelector).toMatchObject({ matchExpression: "ip=='192.168.3.200/32'" });
    const tn = 'uni/tn-k8s-prod-a';
    expect(dump[`${tn}/prof-changeflow-nh-propagate/ctx-lb-pools/scp/rsScopeToAttrP`]?.rtctrlRsScopeToAttrP).toMatchObject({ tnRtctrlAttrPName: 'changeflow-nh-unchanged' });
    expect(dump[`${tn}/subj-changeflow-lb-pools/dest-[10.0.10.0/24]`]?.rtctrlMatchRtDest).toMatchObject({ aggregate: 'yes' });
    expect(dump[`${tn}/bgpCtxP-changeflow-bgp-timers`]?.bgpCtxPol).toMatchObject({ holdIntvl: '90', kaIntvl: '30', maxAsLimit: '1', grCtrl: 'helper' });
    // The operational side follows: both anchors now have BGP peer entries for the cluster nodes.
    const entries = lab.mit.byClass('bgpPeerEntry').map((e) => e.dn.split('/')[2]);
    expect(new Set(entries)).toEqual(new Set(['node-101', 'node-102']));
  }, 240_000);

  it('is idempotent: a second run changes nothing', async () => {
    // The snapshot task is left out: a real APIC takes a new snapshot on every trigger.
    const run = await runPlaybook(lab, 'design.yml', ['--skip-tags', 'snapshot']);
    expect(run.stats.localhost).toMatchObject({ failures: 0, changed: 0 });
    expect(changedTasks(run)).toEqual([]);
  }, 240_000);

  it('reads back what it created with state: query', async () => {
    const run = await runPlaybook(lab, 'query.yml');
    expect(run.stats.localhost).toMatchObject({ failures: 0, changed: 0 });

    const l3out = taskResult(run, 'L3Out').current?.[0];
    expect(attrsOf(l3out, 'l3extOut')).toMatchObject({ name: 'prod-a-l3out', annotation: 'orchestrator:ansible' });
    const ectx = childrenOf(l3out, 'l3extOut').find((c) => 'l3extRsEctx' in c);
    expect(attrsOf(ectx, 'l3extRsEctx').tnFvCtxName).toBe('vrf-1');

    const nodes = childrenOf(taskResult(run, 'Anchor nodes').current?.[0], 'l3extLNodeP').map((c) => attrsOf(c, 'l3extRsNodeL3OutAtt'));
    expect(nodes.map((n) => [n.tDn, n.rtrId])).toEqual([
      ['topology/pod-1/node-101', '1.1.1.101'],
      ['topology/pod-1/node-102', '1.1.1.102'],
    ]);

    const svis = taskResult(run, 'Floating SVIs').imdata ?? [];
    expect(svis.map((s) => attrsOf(s, 'l3extVirtualLIfP').addr)).toEqual(['192.168.2.1/24', '192.168.2.2/24']);
    const peer = childrenOf(svis[0], 'l3extVirtualLIfP').find((c) => 'bgpPeerP' in c);
    expect(attrsOf(peer, 'bgpPeerP')).toMatchObject({ addr: '192.168.2.0/24', peerCtrl: 'bfd' });

    expect(attrsOf(taskResult(run, 'External EPG subnets').current?.[0], 'l3extSubnet')).toMatchObject({ ip: '10.0.10.0/24', scope: 'import-security' });
    const selectors = childrenOf(taskResult(run, 'ESG selectors').current?.[0], 'fvESg').map((c) => attrsOf(c, 'fvEPSelector').matchExpression);
    expect(selectors).toEqual(["ip=='192.168.3.200/32'"]);
    const snapshots = childrenOf(taskResult(run, 'Snapshots').current?.[0], 'configSnapshotCont');
    expect(snapshots).toHaveLength(1);
    expect(attrsOf(snapshots[0], 'configSnapshot').fileName).toMatch(/^ce2_changeflow-.*\.tar\.gz$/);
  }, 240_000);

  it('reads back the relations as the APIC resolved them: targets, classes and formed', async () => {
    const run = await runPlaybook(lab, 'query.yml');
    const relations = (taskResult(run, 'Relations').imdata ?? []).map((mo) => {
      const [cls, body] = Object.entries(mo)[0] ?? [];
      const a = (body as { attributes: Record<string, string> }).attributes;
      return { cls, dn: a.dn?.replace(`${out}/`, ''), tDn: a.tDn, tCl: a.tCl, state: a.state };
    });
    const at = (cls: string) => relations.filter((r) => r.cls === cls);
    expect(at('l3extRsEctx')).toEqual([{ cls: 'l3extRsEctx', dn: 'rsectx', tDn: 'uni/tn-k8s-prod-a/ctx-vrf-1', tCl: 'fvCtx', state: 'formed' }]);
    expect(at('l3extRsL3DomAtt')).toEqual([{ cls: 'l3extRsL3DomAtt', dn: 'rsl3DomAtt', tDn: 'uni/l3dom-k8s-l3', tCl: 'l3extDomP', state: 'formed' }]);
    expect(at('l3extRsDynPathAtt').map((r) => [r.tDn, r.tCl, r.state])).toEqual([
      ['uni/phys-k8s-phys', 'physDomP', 'formed'], ['uni/phys-k8s-phys', 'physDomP', 'formed'],
    ]);
    // The implicit max-prefix relation names no policy: the APIC resolves it to common's default.
    expect(at('bgpRsPeerPfxPol').map((r) => [r.tDn, r.state])).toEqual([
      ['uni/tn-common/bgpPfxP-default', 'formed'], ['uni/tn-common/bgpPfxP-default', 'formed'],
    ]);
    expect(at('bgpRsPeerToProfile').map((r) => [r.tDn, r.tCl, r.state])).toEqual([
      ['uni/tn-k8s-prod-a/prof-changeflow-nh-propagate', 'rtctrlProfile', 'formed'],
      ['uni/tn-k8s-prod-a/prof-changeflow-nh-propagate', 'rtctrlProfile', 'formed'],
    ]);
    for (const cls of ['bgpRsBestPathCtrlPol', 'bgpRsBgpNodeCtxPol', 'bfdRsIfPol']) expect(at(cls).map((r) => r.state)).toEqual(['formed']);
  }, 240_000);

  it('gets the APIC refusals: 120 for a bad enum and an out-of-range value, 801 for a bad pattern, 122 for an unknown class', async () => {
    const before = lab.dump();
    const run = await runPlaybook(lab, 'refusals.yml');
    const refused = (name: string) => {
      const r = taskResult(run, name);
      expect(r.failed).toBe(true);
      return r.msg ?? '';
    };
    expect(refused('Bad enum (l3extSubnet scope)')).toMatch(/APIC Error 120: unknown property value import-security,export-everything, , name scope, class l3extSubnet/);
    expect(refused('Out of range (BGP peer TTL 0)')).toMatch(/APIC Error 120: unknown property value 0, , name ttl, class bgpPeerP/);
    expect(refused('Bad pattern (description with brackets)')).toMatch(/APIC Error 801: property descr of tn-k8s-prod-a failed validation for value 'This is an \[invalid\] description'/);
    expect(refused('Unknown class')).toMatch(/APIC Error 122: unknown managed object class fvFoobar/);
    expect(lab.dump()).toEqual(before);
  }, 240_000);

  it('works with signature auth: the certificate it installs verifies every later request, none logs in, a re-run changes nothing', async () => {
    const cert = await makeUserCertificate(lab.username);
    const dir = mkdtempSync(join(tmpdir(), 'changeflow-ansible-cert-'));
    writeFileSync(join(dir, 'ansible.crt'), cert.certificatePem);
    writeFileSync(join(dir, 'ansible.key'), cert.privateKeyPem, { mode: 0o600 });
    const files = ['-e', `cert_file=${join(dir, 'ansible.crt')} key_file=${join(dir, 'ansible.key')}`];
    lab.stats.reset();
    const first = await runPlaybook(lab, 'signed.yml', files);
    expect(first.stats.localhost).toMatchObject({ failures: 0, unreachable: 0 });
    expect(changedTasks(first)).toEqual(['User certificate', 'Signed application profile']);
    expect(lab.mit.get('uni/tn-k8s-prod-a/ap-signed-by-ansible')?.attrs.descr).toBe('made with signature auth');
    // One login: the certificate task's; the signed modules send none.
    expect(lab.stats.log.filter((r) => r.path === '/api/aaaLogin.json')).toHaveLength(1);
    const again = await runPlaybook(lab, 'signed.yml', files);
    expect(changedTasks(again)).toEqual([]);
    expect(taskResult(again, 'Signed query').current?.length).toBe(1);
  }, 240_000);
});
