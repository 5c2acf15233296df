import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSucceededAndRecorded } from '../support/e2e-expect.js';
import { apicGet, kubeGet, kubeList, labDumps, type LabDumps } from '../support/e2e-lab.js';
import { asAbsent, e2eSpec, runChange, startE2eStack, submitTicket, waitForChange, type E2eStack } from '../support/e2e-stack.js';

// Issue 10 §4 on the whole local stack: bgpPeering through ServiceNow, then loadBalancerPool
// through Jira on the peered cluster, then both removed with `state: absent` — each time the
// fabric and the cluster read as planned, the ticket is written back and the chain verifies.
// The tests run in order and build on each other, as the changes would in production. Last, the
// peering again with an observation window: its sessions drop while it is observed (the world's
// run-time fault bgp.session=down) and it is rolled back late, both sides as before it.

const l3out = '/api/mo/uni/tn-k8s-prod-a/out-prod-a-l3out.json?rsp-subtree=full';
const workers = ['192.168.2.11', '192.168.2.12', '192.168.2.13', '192.168.2.14'];

let e2e: E2eStack;
let pristine: LabDumps;
let peered: LabDumps;

beforeAll(async () => {
  e2e = await startE2eStack('bgp-pool');
  pristine = await labDumps(e2e);
});

afterAll(async () => {
  await e2e?.close();
});

describe('bgpPeering and loadBalancerPool end to end', () => {
  it('peers the cluster with the anchors from a ServiceNow ticket: floating SVI, BGP up on both sides', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'servicenow', 'Peer prod-a with dc1-aci', e2eSpec('bgp-peering'));
    await expectSucceededAndRecorded(e2e, run);
    // Gather-facts runs no `cilium status`: the agents' health is the lab's ds/cilium and
    // deploy/cilium-operator status, read with the other objects.
    const precheck = run.events.find((e) => e.type === 'precheck.passed')?.detail as { results?: Array<{ id: string; verdict: string; evidence: string }> } | undefined;
    expect(precheck?.results?.find((r) => r.id === 'cluster.status.healthy')).toMatchObject({
      verdict: 'pass',
      evidence: expect.stringMatching(/^(\d+)\/\1 agents ready, operator (\d+)\/\2 \(ds\/cilium and deploy\/cilium-operator status\)$/) as unknown,
    });

    const mos = await apicGet(e2e, l3out);
    const of = (cls: string) => mos.filter((m) => m.cls === cls).map((m) => m.attributes);
    expect(of('l3extVirtualLIfP').map((a) => [a['nodeDn'], a['addr'], a['encap']])).toEqual([
      ['topology/pod-1/node-101', '192.168.2.1/24', 'vlan-300'],
      ['topology/pod-1/node-102', '192.168.2.2/24', 'vlan-300'],
    ]);
    expect(of('l3extRsDynPathAtt').map((a) => [a['tDn'], a['floatingAddr']])).toEqual([
      ['uni/phys-k8s-phys', '192.168.2.254/24'],
      ['uni/phys-k8s-phys', '192.168.2.254/24'],
    ]);
    expect(of('bgpPeerP').map((a) => a['addr'])).toEqual(['192.168.2.0/24', '192.168.2.0/24']);
    expect(of('bgpAsP').map((a) => a['asn'])).toEqual(['64512', '64512']);
    expect(of('l3extRsNodeL3OutAtt').map((a) => [a['tDn'], a['rtrId']])).toEqual([
      ['topology/pod-1/node-101', '1.1.1.101'],
      ['topology/pod-1/node-102', '1.1.1.102'],
    ]);
    // The L3 domain the spec names, resolved by the APIC; next-hop propagate (6.1(2)) on every peer.
    expect(of('l3extRsL3DomAtt').map((a) => [a['tDn'], a['state']])).toEqual([['uni/l3dom-k8s-l3', 'formed']]);
    expect(of('bgpRsPeerToProfile').map((a) => [a['tDn'], a['direction'], a['state']])).toEqual([
      ['uni/tn-k8s-prod-a/prof-changeflow-nh-propagate', 'import', 'formed'],
      ['uni/tn-k8s-prod-a/prof-changeflow-nh-propagate', 'import', 'formed'],
    ]);
    const routeMap = await apicGet(e2e, '/api/mo/uni/tn-k8s-prod-a/prof-changeflow-nh-propagate.json?rsp-subtree=full');
    expect(routeMap.filter((m) => m.cls === 'rtctrlRsScopeToAttrP').map((m) => m.attributes['tnRtctrlAttrPName'])).toEqual(['changeflow-nh-unchanged']);

    // The anchors' view: every worker (bgp=enabled) established on both leaves, the control plane not.
    const entries = (await apicGet(e2e, '/api/class/bgpPeerEntry.json')).map((m) => m.attributes);
    for (const leaf of ['101', '102']) {
      const onLeaf = entries.filter((a) => a['dn']?.startsWith(`topology/pod-1/node-${leaf}/`));
      const established = onLeaf.filter((a) => a['operSt'] === 'established').map((a) => a['addr']);
      expect(established.sort(), `leaf ${leaf}`).toEqual(workers);
    }

    // The cluster's view: the BGP v2 resources exist and every worker's node config is established.
    expect((await kubeGet(e2e, '/apis/cilium.io/v2/ciliumbgpclusterconfigs/aci-prod-a-l3out'))?.spec).toMatchObject({
      nodeSelector: { matchLabels: { bgp: 'enabled' } },
      bgpInstances: [{ localASN: 64512, peers: [{ peerAddress: '192.168.2.1', peerASN: 65001 }, { peerAddress: '192.168.2.2', peerASN: 65001 }] }],
    });
    expect(await kubeGet(e2e, '/apis/cilium.io/v2/ciliumbgppeerconfigs/aci-prod-a-l3out')).toBeDefined();
    const nodeConfigs = await kubeList(e2e, '/apis/cilium.io/v2/ciliumbgpnodeconfigs');
    expect(nodeConfigs.map((n) => n.metadata.name).sort()).toEqual(['prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4']);
    for (const node of nodeConfigs) {
      expect(node.status, node.metadata.name).toMatchObject({
        bgpInstances: [{ peers: [{ peerAddress: '192.168.2.1', peeringState: 'established' }, { peerAddress: '192.168.2.2', peeringState: 'established' }] }],
      });
    }
    peered = await labDumps(e2e);
  });

  it('publishes pool-red from a Jira ticket: the pool hands the red Service an IP and the ext-EPG imports its block', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'jira', 'LB pool pool-red for prod-a', e2eSpec('load-balancer-pool'));
    await expectSucceededAndRecorded(e2e, run);

    const pool = await kubeGet(e2e, '/apis/cilium.io/v2/ciliumloadbalancerippools/pool-red');
    expect(pool?.spec).toEqual({ blocks: [{ cidr: '10.0.10.0/24' }], serviceSelector: { matchLabels: { color: 'red' } } });
    const frontend = await kubeGet(e2e, '/api/v1/namespaces/shop/services/frontend');
    expect(frontend?.status).toMatchObject({ loadBalancer: { ingress: [{ ip: expect.stringMatching(/^10\.0\.10\.\d+$/) }] } });
    const advertisement = await kubeGet(e2e, '/apis/cilium.io/v2/ciliumbgpadvertisements/lb-pool-red');
    expect(advertisement?.spec).toMatchObject({ advertisements: [{ advertisementType: 'Service', selector: { matchLabels: { color: 'red' } } }] });

    const subnets = (await apicGet(e2e, '/api/mo/uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc.json?rsp-subtree=children')).filter((m) => m.cls === 'l3extSubnet');
    expect(subnets.map((m) => [m.attributes['ip'], m.attributes['scope']])).toEqual([['10.0.10.0/24', 'import-security']]);
  });

  it('removes pool-red with state: absent (ServiceNow): both sides read exactly as after the peering', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'servicenow', 'Remove LB pool pool-red', asAbsent(e2eSpec('load-balancer-pool')));
    await expectSucceededAndRecorded(e2e, run);
    expect(await kubeGet(e2e, '/apis/cilium.io/v2/ciliumloadbalancerippools/pool-red')).toBeUndefined();
    expect(await labDumps(e2e)).toEqual(peered);
  });

  it('removes the peering with state: absent (Jira): both sides read exactly as before the first change', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'jira', 'Unpeer prod-a', asAbsent(e2eSpec('bgp-peering')));
    await expectSucceededAndRecorded(e2e, run);
    expect(await apicGet(e2e, l3out)).toEqual([]);
    expect(await kubeList(e2e, '/apis/cilium.io/v2/ciliumbgpnodeconfigs')).toEqual([]);
    expect(await labDumps(e2e)).toEqual(pristine);
  });

  it('rolls the peering back late when its sessions drop while it is observed: both sides read exactly as before it', { timeout: 150_000 }, async () => {
    const observed = `${e2eSpec('bgp-peering')}verify:\n  observeSeconds: 3600\n  observeIntervalSeconds: 5\n`;
    const submitted = await submitTicket(e2e, 'servicenow', 'Peer prod-a, observed for an hour', observed);
    for (let i = 0; ; i++) {
      const reply = (await (await fetch(`${e2e.api}/changes/${submitted.changeId}`)).json()) as { change: { status: string } };
      if (reply.change.status === 'OBSERVING') break;
      expect(['RECEIVED', 'PRECHECKING', 'PLANNED', 'APPLYING', 'VERIFYING'], `status before observing (${i} looks)`).toContain(reply.change.status);
      await new Promise((r) => setTimeout(r, 200));
    }
    // endpoints.json names the world; its side door takes the fault at run time.
    const world = e2e.stack.endpoints.world.url;
    const set = await fetch(`${world}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults: ['bgp.session=down'] }) });
    expect(await set.json()).toEqual({ faults: [{ component: 'bgp', action: 'session', mode: 'down' }] });
    try {
      const run = await waitForChange(e2e, submitted, 120_000);
      expect(run.change.status, run.change.outcome?.reason).toBe('ROLLED_BACK');
      expect(run.change.outcome?.reason).toMatch(/^rolled back after ObservationRegressed: bgp-fabric(, bgp-cluster)? regressed at \S+Z, \d+ s into the observation window \(check \d+ of 720\)/);
      const types = run.events.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['verify.passed', 'observe.started', 'observe.regressed', 'rollback.started', 'rollback.verified', 'change.rolled-back']));
      expect(types.indexOf('observe.regressed')).toBeGreaterThan(types.indexOf('observe.started'));
    } finally {
      await fetch(`${world}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults: [] }) });
    }
    expect(await labDumps(e2e)).toEqual(pristine);
  });
});
