import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json.js';
import { aciFollowUpQueries, parseAciFacts, runAciPrechecks } from '../../../shared/aci/index.js';
import { dc1Nodes, onboardSpec } from '../../unit/aci/support/dc1.js';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { call, login } from './lab-http.js';

const tn = 'uni/tn-k8s-prod-a';
const out = `${tn}/out-prod-a-l3out`;
const seedDir = fileURLToPath(new URL('../../fixtures/apic/seed', import.meta.url));

const floatingSviL3Out = {
  l3extOut: {
    attributes: { name: 'prod-a-l3out' },
    children: [
      { l3extRsEctx: { attributes: { tnFvCtxName: 'vrf-1' } } },
      { l3extLNodeP: { attributes: { name: 'anchors' }, children: [
        { l3extRsNodeL3OutAtt: { attributes: { tDn: 'topology/pod-1/node-101', rtrId: '1.1.1.101' } } },
        { l3extLIfP: { attributes: { name: 'svi' }, children: [
          { l3extVirtualLIfP: { attributes: { nodeDn: 'topology/pod-1/node-101', encap: 'vlan-300', addr: '192.168.2.1/24', ifInstT: 'ext-svi' }, children: [
            { l3extRsDynPathAtt: { attributes: { tDn: 'uni/phys-k8s-phys', floatingAddr: '192.168.2.254/24' } } },
            { bgpPeerP: { attributes: { addr: '192.168.2.0/24' }, children: [{ bgpAsP: { attributes: { asn: '64512' } } }] } },
          ] } },
        ] } },
      ] } },
    ],
  },
};

let lab: ApicLab;
let cookie: string;

beforeAll(async () => {
  lab = await startApicLab({ backupDelayMs: 10 });
  cookie = await login(lab);
});
afterAll(async () => {
  await lab.close();
});

describe('APIC lab over HTTP: sessions', () => {
  it('logs in with aaaLogin and sets APIC-cookie with the token and the APIC version', async () => {
    const res = await fetch(`${lab.url}/api/aaaLogin.json`, { method: 'POST', body: JSON.stringify({ aaaUser: { attributes: { name: 'admin', pwd: lab.password } } }) });
    const body = (await res.json()) as { imdata: Array<{ aaaLogin: { attributes: Record<string, string> } }> };
    const attrs = body.imdata[0]?.aaaLogin.attributes;
    expect(res.headers.get('set-cookie')).toBe(`APIC-cookie=${attrs?.token}; path=/; HttpOnly; SameSite=Strict`);
    expect(attrs).toMatchObject({ refreshTimeoutSeconds: '600', version: '6.1(2f)', userName: 'admin' });
  });

  it('answers 401 to a wrong password and 403 to a missing token, with APIC texts', async () => {
    const bad = await call(lab, '', 'POST', '/api/aaaLogin.json', { aaaUser: { attributes: { name: 'admin', pwd: 'wrong' } } });
    expect(bad.status).toBe(401);
    expect(bad.json.imdata[0]?.error?.attributes).toEqual({ code: '401', text: 'Username or password is incorrect - FAILED local authentication' });
    const none = await call(lab, '', 'GET', '/api/class/fvTenant.json');
    expect(none.status).toBe(403);
    expect(none.json.imdata[0]?.error?.attributes).toEqual({ code: '403', text: 'Token was invalid (Error: Token timeout)' });
  });

  it('times a token out after refreshTimeoutSeconds unless it is refreshed', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const short = await startApicLab({ tokenTtlSeconds: 1, tokenClock: () => now });
    const pause = (ms: number) => void (now += ms);
    try {
      const original = await login(short);
      pause(600);
      const refreshed = await call(short, original, 'GET', '/api/aaaRefresh.json');
      const fresh = `APIC-cookie=${refreshed.json.imdata[0]?.aaaLogin?.attributes.token}`;
      pause(600);
      expect((await call(short, fresh, 'GET', '/api/mo/uni.json')).status).toBe(200);
      expect((await call(short, original, 'GET', '/api/mo/uni.json')).status).toBe(403);
    } finally {
      await short.close();
    }
  });
});

describe('APIC lab over HTTP: config and queries', () => {
  it('serves XML for .xml and accepts an XML POST body', async () => {
    const posted = await call(lab, cookie, 'POST', '/api/mo/uni/tn-xml.xml', '<fvTenant name="xml" descr="from xml"><fvCtx name="v"/></fvTenant>');
    expect(posted.status).toBe(200);
    const got = await call(lab, cookie, 'GET', '/api/mo/uni/tn-xml.xml?query-target=children&rsp-prop-include=naming-only');
    expect(got.type).toContain('xml');
    expect(got.text).toBe('<?xml version="1.0" encoding="UTF-8"?><imdata totalCount="1"><fvCtx dn="uni/tn-xml/ctx-v" name="v"/></imdata>');
  });

  it('reports created MOs for rsp-subtree=modified and nothing on an identical second POST', async () => {
    const body = { fvTenant: { attributes: { name: 'idem', descr: 'x' } } };
    const first = await call(lab, cookie, 'POST', '/api/mo/uni/tn-idem.json?rsp-subtree=modified', body);
    expect(first.json.imdata[0]?.fvTenant?.attributes).toMatchObject({ dn: 'uni/tn-idem', status: 'created' });
    const second = await call(lab, cookie, 'POST', '/api/mo/uni/tn-idem.json?rsp-subtree=modified', body);
    expect(second.json).toEqual({ totalCount: '0', imdata: [] });
  });

  it('derives BGP peer entries from a floating-SVI peer and lets the lab world set their state', async () => {
    expect((await call(lab, cookie, 'POST', `/api/mo/${out}.json`, floatingSviL3Out)).status).toBe(200);
    const notUp = '/api/class/bgpPeerEntry.json?query-target-filter=ne(bgpPeerEntry.operSt,"established")';
    const before = await call(lab, cookie, 'GET', notUp);
    expect(before.json.totalCount).toBe('5');
    expect(before.json.imdata[0]?.bgpPeerEntry?.attributes).toMatchObject({
      dn: 'topology/pod-1/node-101/sys/bgp/inst/dom-k8s-prod-a:vrf-1/peer-[192.168.2.0/24]/ent-[192.168.2.10]',
      operSt: 'idle',
    });
    lab.setOperationalProvider((peer) => peer.candidates.map((addr) => ({ addr, operSt: addr === '192.168.2.10' ? 'idle' : 'established' })));
    const after = await call(lab, cookie, 'GET', notUp);
    expect(after.json.imdata.map((mo) => mo.bgpPeerEntry?.attributes.addr)).toEqual(['192.168.2.10']);
    lab.setOperationalProvider(undefined);
    const peers = lab.mit.byClass('bgpPeer');
    expect(peers.map((p) => p.attrs.asn)).toEqual(['64512']);
  });

  it('grows each leaf policy-CAM counter with the classification config', async () => {
    const usage = '/api/class/eqptcapacityPolUsage5min.json?query-target-filter=wcard(eqptcapacityPolUsage5min.dn,"node-101/")';
    const before = Number((await call(lab, cookie, 'GET', usage)).json.imdata[0]?.eqptcapacityPolUsage5min?.attributes.polUsageCum);
    await call(lab, cookie, 'POST', `/api/mo/${out}/instP-cap.json`, { l3extInstP: { attributes: { name: 'cap' }, children: [{ l3extSubnet: { attributes: { ip: '10.9.0.0/24' } } }] } });
    const after = Number((await call(lab, cookie, 'GET', usage)).json.imdata[0]?.eqptcapacityPolUsage5min?.attributes.polUsageCum);
    expect(after).toBeGreaterThan(before);
    await call(lab, cookie, 'DELETE', `/api/mo/${out}/instP-cap.json`);
  });

  it('snapshots the config and rolls it back with an atomic replace import', async () => {
    const policy = 'uni/fabric/configexp-cf';
    const trigger = await call(lab, cookie, 'POST', `/api/mo/${policy}.json`, { configExportP: { attributes: { name: 'cf', adminSt: 'triggered', snapshot: 'yes' } } });
    expect(trigger.status).toBe(200);
    const job = await call(lab, cookie, 'GET', `/api/node/mo/uni/backupst/jobs-[${policy}].json`);
    expect(Object.keys(job.json.imdata[0] ?? {})).toEqual(['configJobCont']);
    const snapshotState = canonicalJson(lab.dump());
    await lab.jobsSettled();

    const snaps = await call(lab, cookie, 'GET', `/api/node/mo/uni/backupst/snapshots-[${policy}].json?query-target=children`);
    const snap = snaps.json.imdata[0]?.configSnapshot?.attributes ?? {};
    expect(snap.fileName).toMatch(/^ce2_cf-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.tar\.gz$/);
    expect(snap.name).toBe(`run-${snap.fileName?.slice('ce2_cf-'.length, -'.tar.gz'.length)}`);
    expect((await call(lab, cookie, 'GET', `/api/mo/${policy}.json`)).json.imdata[0]?.configExportP?.attributes.adminSt).toBe('untriggered');

    await call(lab, cookie, 'POST', '/api/mo/uni/tn-after.json', { fvTenant: { attributes: { name: 'after' } } });
    await call(lab, cookie, 'DELETE', `/api/mo/${out}.json`);
    expect(canonicalJson(lab.dump())).not.toBe(snapshotState);

    await call(lab, cookie, 'POST', '/api/mo/uni/fabric/configimp-rb.json', {
      configImportP: { attributes: { name: 'rb', adminSt: 'triggered', snapshot: 'yes', fileName: snap.fileName ?? '', importType: 'replace', importMode: 'atomic' } },
    });
    await lab.jobsSettled();
    expect(canonicalJson(lab.dump())).toBe(snapshotState);
    expect(Object.keys(lab.dump()).some((dn) => dn.startsWith('uni/backupst'))).toBe(false);
  });
});

describe('APIC lab side door and seeding', () => {
  it('sets faults at run time: apic.any=http503 answers an HTML 503', async () => {
    const set = await fetch(`${lab.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults: ['apic.any=http503@1'] }) });
    expect(set.status).toBe(200);
    const res = await call(lab, cookie, 'GET', '/api/class/fvTenant.json');
    expect(res.status).toBe(503);
    expect(res.type).toContain('text/html');
    expect(res.text).toContain('503 Service Temporarily Unavailable');
    expect((await call(lab, cookie, 'GET', '/api/class/fvTenant.json')).status).toBe(200);
    await fetch(`${lab.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults: [] }) });
  });

  it('counts requests and resets the counters', async () => {
    await fetch(`${lab.url}/_lab/stats/reset`, { method: 'POST' });
    await call(lab, cookie, 'GET', '/api/mo/uni.json');
    await call(lab, cookie, 'POST', '/api/mo/uni/tn-count.json', { fvTenant: { attributes: {} } });
    const stats = (await (await fetch(`${lab.url}/_lab/stats`)).json()) as { requests: { total: number; byMethod: Record<string, number> }; bytes: { total: number } };
    expect(stats.requests).toEqual({ total: 2, byMethod: { GET: 1, POST: 1 } });
    // The answers' bodies: the uni MO and an empty write envelope.
    expect(stats.bytes.total).toBeGreaterThan(100);
  });

  it('seeds the 6.0(2h) and full-l3out scenarios', async () => {
    const old = await startApicLab({ scenario: '6.0(2h)' });
    const full = await startApicLab({ scenario: 'full-l3out' });
    try {
      expect(old.mit.get('topology/pod-1/node-2/sys/ctrlrfwstatuscont/ctrlrrunning')?.attrs.version).toBe('6.0(2h)');
      expect(old.mit.get('topology/pod-1/node-103/sys/fwstatuscont/running')?.attrs).toMatchObject({ version: 'n9000-16.0(2h)', peVer: '6.0(2h)' });
      expect(full.mit.children(out).filter((mo) => mo.className === 'l3extInstP')).toHaveLength(249);
    } finally {
      await old.close();
      await full.close();
    }
  });

  it('reports the hosts of a floating SVI\'s subnet as ARP adjacencies on the leaves they are cabled to, which place the nodes before 6.1(2)', async () => {
    const old = await startApicLab({ scenario: '6.0(2h)' });
    try {
      const c = await login(old);
      expect((await call(old, c, 'GET', '/api/class/arpAdjEp.json')).json.totalCount).toBe('0');
      expect((await call(old, c, 'POST', `/api/mo/${out}.json`, floatingSviL3Out)).status).toBe(200);
      const [topology] = aciFollowUpQueries(onboardSpec(), []).filter((q) => q.name === 'topology');
      const answer = await call(old, c, 'GET', `${topology?.path ?? ''}?${new URLSearchParams(topology?.query ?? {}).toString()}`);
      const adj = answer.json.imdata.flatMap((mo) => (mo.arpAdjEp ? [mo.arpAdjEp.attributes] : []));
      expect(adj.map((a) => a.dn)).toEqual([
        'topology/pod-1/node-101/sys/arp/inst/dom-k8s-prod-a:vrf-1/db-ip/adj-[vlan300]-[192.168.2.10]',
        'topology/pod-1/node-101/sys/arp/inst/dom-k8s-prod-a:vrf-1/db-ip/adj-[vlan300]-[192.168.2.11]',
        'topology/pod-1/node-101/sys/arp/inst/dom-k8s-prod-a:vrf-1/db-ip/adj-[vlan300]-[192.168.2.12]',
        'topology/pod-1/node-102/sys/arp/inst/dom-k8s-prod-a:vrf-1/db-ip/adj-[vlan300]-[192.168.2.13]',
        'topology/pod-1/node-103/sys/arp/inst/dom-k8s-prod-a:vrf-1/db-ip/adj-[vlan300]-[192.168.2.14]',
      ]);
      expect(adj[1]).toMatchObject({ ifId: 'vlan300', ip: '192.168.2.11', physIfId: 'eth1/11', operSt: 'normal' });
      // Behind the SVI the nodes are no fvCEp: the ARP adjacencies alone place them.
      const facts = parseAciFacts(answer.json.imdata);
      const results = runAciPrechecks(onboardSpec(), { ...facts, tenants: [], mos: {} }, { nodeAddresses: dc1Nodes });
      const mix = results.find((r) => r.id === 'aci.peering.anchor-mix');
      expect(mix).toMatchObject({ verdict: 'fail' });
      expect(mix?.evidence).toMatch(/prod-a-w1 \(192\.168\.2\.11\) on leaf 101 \(ARP\).*prod-a-w4 \(192\.168\.2\.14\) on leaf 103 \(ARP\) do not/);
    } finally {
      await old.close();
    }
  });

  it('seeds from captured imdata files (--lab-seed), dropping volatile attributes', async () => {
    const seeded = await startApicLab({ seedDir });
    try {
      const c = await login(seeded);
      const ctx = await call(seeded, c, 'GET', '/api/mo/uni/tn-captured/ctx-v1.json');
      expect(ctx.json.imdata[0]?.fvCtx?.attributes).toMatchObject({ pcTag: '16386', name: 'v1', modTs: '2025-06-01T10:00:00.000+00:00' });
      expect(c).toMatch(/^APIC-cookie=/);
      expect(seeded.mit.get('topology/pod-1/node-1/sys/ctrlrfwstatuscont/ctrlrrunning')?.attrs.version).toBe('5.2(8e)');
      expect(seeded.dump()['uni/tn-captured']).toEqual({ fvTenant: { annotation: '', descr: 'captured', name: 'captured', nameAlias: '', ownerKey: '', ownerTag: '' } });
      expect(seeded.mit.get(`${tn}`)).toBeUndefined();
    } finally {
      await seeded.close();
    }
  });
});
