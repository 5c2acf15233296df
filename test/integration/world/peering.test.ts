import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../local/lab/index.js';
import { ApicSession, apicFixture, KubeClient, peeringStates, yamlFixture } from './lab-clients.js';

// The acceptance test of the lab world (issue 5 item 8): both emulators in one process, configured
// over their real APIs. Sessions come up only when the APIC side (floating SVI, peer prefix, remote
// AS) and the Cilium side (peer address, peer ASN, node selection) agree, and both sides say so.

const workers = ['prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4'];
const workerIps = ['192.168.2.11', '192.168.2.12', '192.168.2.13', '192.168.2.14'];
const entryDn = (leaf: number, ip: string): string => `topology/pod-1/node-${leaf}/sys/bgp/inst/dom-k8s-prod-a:vrf-1/peer-[192.168.2.0/24]/ent-[${ip}]`;

let lab: Lab;
let apic: ApicSession;
let kube: KubeClient;

beforeAll(async () => {
  lab = await startLab();
  apic = await ApicSession.login(lab.endpoints.apic);
  kube = new KubeClient(lab.endpoints.kubernetes);
});
afterAll(async () => {
  await lab?.close();
});

async function operStates(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await apic.classQuery('bgpPeerEntry')) out[e['dn'] ?? ''] = e['operSt'] ?? '';
  return out;
}

async function nodeStates(node: string): Promise<Record<string, string>> {
  return peeringStates(await kube.get('cilium.io/v2', 'CiliumBGPNodeConfig', node));
}

describe('lab world: BGP between the nodes and the anchor leaves', () => {
  it('establishes w1..w4 with both anchors on both sides once the fabric and Cilium agree', async () => {
    await apic.post('uni/tn-k8s-prod-a', await apicFixture('apic-floating-svi.json'));
    for (const obj of await yamlFixture('cilium-bgp.yaml')) await kube.apply(obj);
    await lab.world.refresh();

    const oper = await operStates();
    for (const leaf of [101, 102]) {
      for (const ip of workerIps) expect(oper[entryDn(leaf, ip)], `leaf ${leaf} ↔ ${ip}`).toBe('established');
      // The control-plane node is a learned endpoint inside the prefix but not selected: it never opens a session.
      expect(oper[entryDn(leaf, '192.168.2.10')]).toBe('idle');
    }
    for (const node of workers) expect(await nodeStates(node)).toEqual({ 'anchor-101': 'established', 'anchor-102': 'established' });
  });

  it('takes every session down on both sides when the Cilium peerASN no longer matches the fabric AS', async () => {
    const [clusterConfig] = await yamlFixture('cilium-bgp.yaml');
    const spec = clusterConfig?.['spec'] as { bgpInstances: Array<{ peers: Array<{ peerASN: number }> }> };
    for (const peer of spec.bgpInstances[0]?.peers ?? []) peer.peerASN = 65002;
    await kube.apply(clusterConfig ?? {});
    await lab.world.refresh();

    const oper = await operStates();
    expect(Object.values(oper)).not.toContain('established');
    for (const leaf of [101, 102]) for (const ip of workerIps) expect(oper[entryDn(leaf, ip)]).toBe('opensent');
    for (const node of workers) expect(await nodeStates(node)).toEqual({ 'anchor-101': 'active', 'anchor-102': 'active' });
    const reasons = lab.world.sessions().map((s) => s.reason);
    expect(reasons[0]).toBe('peer anchor-101 expects AS 65002 but the fabric opens with AS 65001');
  });

  it('brings the sessions back when the ASN is fixed, and keeps them down under bgp.establish=never', async () => {
    for (const obj of await yamlFixture('cilium-bgp.yaml')) await kube.apply(obj);
    await lab.world.refresh();
    expect(await nodeStates('prod-a-w1')).toEqual({ 'anchor-101': 'established', 'anchor-102': 'established' });

    const res = await fetch(`${lab.world.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults: ['bgp.establish=never'] }) });
    expect(res.status).toBe(200);
    await lab.world.refresh();
    expect(Object.values(await operStates())).not.toContain('established');
    expect(await nodeStates('prod-a-w1')).toEqual({ 'anchor-101': 'active', 'anchor-102': 'active' });
    lab.world.faults.clear();
  });
});
