import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from '../../shared/zod.js';
import { expectSucceededAndRecorded } from '../support/e2e-expect.js';
import { kubeGet, kubeList, labDumps, type LabDumps } from '../support/e2e-lab.js';
import { asAbsent, e2eSpec, runChange, startE2eStack, type E2eStack, type Finished } from '../support/e2e-stack.js';

// Issue 10 §4 for the two cluster-only change types: an L2 announcement policy (the APIC is not
// touched at all) and a cilium-config key followed by a rolling restart of the Cilium agents.
// Issue 15 §5: their verification checks are in the audit trail — the L2 leases and ARP answers,
// the agents restarted and each agent's own status showing the new value.

let e2e: E2eStack;
let pristine: LabDumps;

beforeAll(async () => {
  e2e = await startE2eStack('l2-config');
  pristine = await labDumps(e2e);
});

afterAll(async () => {
  await e2e?.close();
});

const AgentPods = z.array(z.object({ metadata: z.object({ uid: z.string() }) }));
const DaemonSet = z.object({
  metadata: z.object({ generation: z.number() }),
  spec: z.object({ template: z.object({ metadata: z.optional(z.object({ annotations: z.optional(z.record(z.string(), z.string())) })) }) }),
  status: z.object({ observedGeneration: z.number(), desiredNumberScheduled: z.number(), updatedNumberScheduled: z.number(), numberReady: z.number() }),
});

function detailsOf(events: Finished['events'], type: string): Array<Record<string, unknown>> {
  return events.filter((e) => e.type === type).map((e) => (e.detail ?? {}) as Record<string, unknown>);
}

/** The verdict and evidence of each verify check in the audit trail, by check id. */
function verifyChecks(run: Finished): Record<string, { verdict: unknown; evidence: unknown }> {
  const out: Record<string, { verdict: unknown; evidence: unknown }> = {};
  for (const e of run.events) {
    const detail = (e.detail ?? {}) as Record<string, unknown>;
    if (e.type.startsWith('verify.') && 'verdict' in detail) out[e.type.slice('verify.'.length)] = { verdict: detail['verdict'], evidence: detail['evidence'] };
  }
  return out;
}

describe('l2Announcement and ciliumConfig end to end', () => {
  it('creates the v2alpha1 L2 announcement policy from a ServiceNow ticket and leaves the APIC untouched', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'servicenow', 'Announce red LB IPs on L2', e2eSpec('l2-announcement'));
    await expectSucceededAndRecorded(e2e, run);

    const policy = await kubeGet(e2e, '/apis/cilium.io/v2alpha1/ciliuml2announcementpolicies/l2-red');
    expect(policy?.spec).toMatchObject({
      serviceSelector: { matchLabels: { color: 'red' } },
      nodeSelector: { matchLabels: { bgp: 'enabled' } },
      interfaces: ['^eth[0-9]+'],
      loadBalancerIPs: true,
      externalIPs: false,
    });
    // No pool gives shop/frontend an IP yet: nothing to announce, and the checks say so.
    expect(verifyChecks(run)).toMatchObject({
      'l2-leases': { verdict: 'pass', evidence: 'no IP to announce yet: shop/frontend' },
      'l2-arp': { verdict: 'pass', evidence: 'no IP announced yet' },
      'connectivity-test': { verdict: 'pass' },
    });
    const after = await labDumps(e2e);
    expect(after.apic).toBe(pristine.apic);
    expect(after.kubernetes).not.toBe(pristine.kubernetes);
  });

  it('removes the L2 policy with state: absent from a Jira ticket: the cluster reads as before', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'jira', 'Stop announcing red LB IPs on L2', asAbsent(e2eSpec('l2-announcement')));
    await expectSucceededAndRecorded(e2e, run);
    expect(await kubeGet(e2e, '/apis/cilium.io/v2alpha1/ciliuml2announcementpolicies/l2-red')).toBeUndefined();
    expect(await labDumps(e2e)).toEqual(pristine);
  });

  it('announces pool-red\'s IP for shop/frontend: a worker holds the lease and the fabric learns the IP behind it; then removes both', { timeout: 180_000 }, async () => {
    const run = await runChange(e2e, 'servicenow', 'Pool and L2 announcement for red services', e2eSpec('l2-announcement-with-pool'));
    await expectSucceededAndRecorded(e2e, run);
    expect(verifyChecks(run)).toMatchObject({
      'lb-pools': { verdict: 'pass' },
      'l2-leases': { verdict: 'pass', evidence: expect.stringMatching(/^shop\/frontend 10\.0\.10\.\d+ → prod-a-w1$/) },
      'l2-arp': { verdict: 'pass', evidence: expect.stringMatching(/^10\.0\.10\.\d+ on prod-a-w1$/) },
      'connectivity-test': { verdict: 'pass' },
    });
    const lease = await kubeGet(e2e, '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cilium-l2announce-shop-frontend');
    expect(lease?.spec).toMatchObject({ holderIdentity: 'prod-a-w1' });

    const back = await runChange(e2e, 'jira', 'Remove the pool and the L2 announcement', asAbsent(e2eSpec('l2-announcement-with-pool')));
    await expectSucceededAndRecorded(e2e, back);
    expect(await kubeGet(e2e, '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cilium-l2announce-shop-frontend')).toBeUndefined();
    expect(await labDumps(e2e)).toEqual(pristine);
  });

  it('sets bpf-lb-algorithm=maglev from a Jira ticket and restarts the Cilium agents one node at a time, each gated on its health', { timeout: 180_000 }, async () => {
    const dsPath = '/apis/apps/v1/namespaces/kube-system/daemonsets/cilium';
    const podsPath = '/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium';
    const uids = async () => AgentPods.parse(await kubeList(e2e, podsPath)).map((p) => p.metadata.uid);
    const before = await uids();
    const run = await runChange(e2e, 'jira', 'Maglev load balancing on prod-a', e2eSpec('cilium-config'));
    await expectSucceededAndRecorded(e2e, run);

    const config = await kubeGet(e2e, '/api/v1/namespaces/kube-system/configmaps/cilium-config');
    expect(config?.data?.['bpf-lb-algorithm']).toBe('maglev');
    // A datapath key: the plan restarts node by node (pods replaced one at a time), not a rollout.
    const restartOp = detailsOf(run.events, 'apply.cluster.op').find((op) => String(op['opId']).startsWith('cluster/restart/DaemonSet'));
    expect(restartOp).toMatchObject({ outcome: 'applied' });
    const after = await uids();
    expect(after).toHaveLength(5);
    expect(after.filter((uid) => before.includes(uid))).toEqual([]);
    const ds = DaemonSet.parse(await kubeGet(e2e, dsPath));
    expect(ds.status.updatedNumberScheduled).toBe(ds.status.desiredNumberScheduled);
    expect(ds.status.numberReady).toBe(5);
    expect(verifyChecks(run)).toMatchObject({
      'cilium-agents-restarted': { verdict: 'pass', evidence: expect.stringMatching(/^cilium-config has bpf-lb-algorithm=maglev; ds\/cilium rolled out \(5\/5 updated\); 5 agent pods started after cilium-config was written at /) },
      'cilium-agent-config': { verdict: 'pass', evidence: '5 agents OK (prod-a-cp1, prod-a-w1, prod-a-w2, prod-a-w3, prod-a-w4), each showing bpf-lb-algorithm=Maglev' },
      'connectivity-test': { verdict: 'pass' },
    });
  });
});
