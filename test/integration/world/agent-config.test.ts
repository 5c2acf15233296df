import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from '../../../shared/zod.js';
import { agentConfigCheck, agentsRestartedCheck } from '../../../shared/kinds/cilium-config/verify.js';
import { ChangeSpec } from '../../../shared/spec/index.js';
import { startPeeredLab, type PeeredLab } from './cilium-run.js';

// The ciliumConfig checks against the lab: a cilium-config change and `rollout restart ds/cilium`
// replace every agent pod, and each new agent's status (lab `cilium status -o json`, a separate
// process) shows the value it started with. Under `cilium.config=stale` the agents restart but
// keep the old value: the restart check still passes, the per-agent check names every node.

let peered: PeeredLab;

beforeAll(async () => {
  peered = await startPeeredLab();
});
afterAll(async () => {
  await peered?.close();
});

const specWith = (settings: Record<string, string>): ChangeSpec => ChangeSpec.parse({
  apiVersion: 'changeflow/v1', kind: 'ChangeSpec',
  target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
  aci: { tenant: 'k8s-prod-a', vrf: 'vrf-1', l3out: 'prod-a-l3out', physDomain: 'k8s-phys', fabricAsn: 65001 },
  changes: [{ type: 'ciliumConfig', settings, restart: 'rolling' }],
  mode: 'apply',
});

const token = (): string => peered.lab.endpoints.kubernetes.token;
async function list(path: string): Promise<unknown[]> {
  const res = await fetch(`${peered.lab.endpoints.kubernetes.url}${path}`, { headers: { authorization: `Bearer ${token()}` } });
  return [await res.json()];
}
const objects = async (): Promise<unknown[][]> => [
  await list('/apis/apps/v1/namespaces/kube-system/daemonsets'),
  await list('/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium'),
  await list('/api/v1/namespaces/kube-system/configmaps'),
];

const Ds = z.object({ metadata: z.object({ generation: z.number() }), status: z.object({ observedGeneration: z.number(), updatedNumberScheduled: z.number(), desiredNumberScheduled: z.number() }) });

async function change(settings: Record<string, string>, stamp: string): Promise<void> {
  await peered.kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: settings });
  await peered.kube.apply({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': stamp } } } },
  });
  for (let i = 0; i < 100; i++) {
    const ds = Ds.parse(await peered.kube.get('apps/v1', 'DaemonSet', 'cilium', 'kube-system'));
    if (ds.status.observedGeneration === ds.metadata.generation && ds.status.updatedNumberScheduled === ds.status.desiredNumberScheduled) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('ds/cilium did not roll out');
}

async function agentStatus(): Promise<unknown> {
  const run = await peered.cilium('status', '-o', 'json');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as unknown;
}

const nodes = 'prod-a-cp1, prod-a-w1, prod-a-w2, prod-a-w3, prod-a-w4';

describe('lab: agents restart with the new cilium-config', () => {
  it('before the restart every agent still shows the old value; after it, every agent is new and shows the new one', async () => {
    const spec = specWith({ 'bpf-lb-algorithm': 'maglev', 'bpf-lb-maglev-table-size': '16381' });
    const podsBefore = z.object({ items: z.array(z.object({ metadata: z.object({ uid: z.string() }) })) }).parse((await list('/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium'))[0]);
    const before = agentConfigCheck.evaluate(spec, await agentStatus(), [(await objects())[1] ?? []]);
    expect(before.ok).toBe(false);
    expect(before.evidence.split('; ')).toHaveLength(5);
    expect(before.evidence).toMatch(/^prod-a-cp1 \(cilium-\w+\): bpf-lb-algorithm shows Random in kube-proxy-replacement\.features\.nodePort\.algorithm, expected Maglev;/);

    const stamp = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await change({ 'bpf-lb-algorithm': 'maglev', 'bpf-lb-maglev-table-size': '16381' }, stamp);
    const listed = await objects();
    // The stamp is a second old, so the ConfigMap write is the later mark every agent must be newer than.
    expect(agentsRestartedCheck.evaluate(spec, listed)).toEqual({
      ok: true,
      evidence: expect.stringMatching(/^cilium-config has bpf-lb-algorithm=maglev, bpf-lb-maglev-table-size=16381; ds\/cilium rolled out \(5\/5 updated\); 5 agent pods started after cilium-config was written at \d{4}-\d\d-\d\dT[\d:]+Z$/),
    });
    const podsAfter = z.object({ items: z.array(z.object({ metadata: z.object({ uid: z.string() }) })) }).parse(listed[1]?.[0]);
    expect(podsAfter.items.map((p) => p.metadata.uid).filter((uid) => podsBefore.items.some((b) => b.metadata.uid === uid))).toEqual([]);
    expect(agentConfigCheck.evaluate(spec, await agentStatus(), [listed[1] ?? []])).toEqual({
      ok: true,
      evidence: `5 agents OK (${nodes}), each showing bpf-lb-algorithm=Maglev; bpf-lb-maglev-table-size has no status field (the agents started after the change read it)`,
    });
  });

  it('under cilium.config=stale the restarted agents keep the old value and the per-agent check says so for each node', async () => {
    await peered.setFaults('cilium.config=stale');
    try {
      const spec = specWith({ 'bpf-lb-mode': 'dsr' });
      await change({ 'bpf-lb-mode': 'dsr' }, new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      const listed = await objects();
      expect(agentsRestartedCheck.evaluate(spec, listed).ok).toBe(true);
      const v = agentConfigCheck.evaluate(spec, await agentStatus(), [listed[1] ?? []]);
      expect(v.ok).toBe(false);
      expect(v.evidence.split('; ').map((p) => p.replace(/ \(cilium-\w+\)/, ''))).toEqual(nodes.split(', ').map((n) => `${n}: bpf-lb-mode shows SNAT in kube-proxy-replacement.features.nodePort.mode, expected DSR`));
    } finally {
      await peered.setFaults();
    }
  });
});
