import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../../agent/start-agent.js';
import { AgentResult, rollbackSteps, type AgentCommand } from '../../../shared/agent-protocol/index.js';
import type { Plan } from '../../../shared/plan/index.js';
import { factsFromAgentResult, planWithPrechecks } from '../../../shared/planner/index.js';
import { parseChangeSpecText, type ChangeSpec } from '../../../shared/spec/index.js';
import { agentTask, benchBgpSecret, cluster, fabric, labDumps, startAgentBench, type AgentBench } from './harness.js';

// Every command of the agent protocol through the real worker: the local runtime hands the task
// to an in-process agent, which works on the lab; each answer must be a valid AgentResult. The
// commands run as the workflow chains them — gather facts, plan from what the agent saw, snapshot,
// apply ACI, apply cluster, verify, roll back — and the rollback restores both dumps byte for byte.
// The peering names a BGP password by reference: the agent fills it in on both sides, and its
// value appears in no plan, result, log line or dump.

let bench: AgentBench;
let agent: RunningAgent;
const logLines: string[] = [];
const outputs: unknown[] = [];

const spec: ChangeSpec = (() => {
  const parsed = parseChangeSpecText(readFileSync('examples/onboard-prod-a.yaml', 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const changes = parsed.spec.changes.map((c) => (c.type === 'bgpPeering' ? { ...c, password: { secretRef: benchBgpSecret.ref } } : c));
  return { ...parsed.spec, changes, verify: { ...parsed.spec.verify, bgpEstablishedTimeoutSeconds: 20, connectivityTest: { ...parsed.spec.verify.connectivityTest, timeoutSeconds: 60 } } };
})();

beforeAll(async () => {
  bench = await startAgentBench();
  agent = await startAgent(bench.config(), { write: (line) => logLines.push(line) });
});

afterAll(async () => {
  await agent?.stop();
  await bench?.close();
});

async function kubeJson(b: AgentBench, path: string): Promise<unknown> {
  const res = await fetch(`${b.lab.kubernetes.httpUrl}${path}`, { headers: { authorization: `Bearer ${b.lab.kubernetes.token}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

async function runTask(step: Parameters<typeof agentTask>[0], commands: AgentCommand[], deadlineSeconds?: number): Promise<AgentResult> {
  const arn = await bench.start(agentTask(step, commands, { changeId: 'agent-commands', deadlineSeconds }));
  const end = await bench.waitForEnd(arn, 90_000);
  expect(end.status, `${end.error}: ${end.cause}`).toBe('SUCCEEDED');
  outputs.push(end.output);
  return AgentResult.parse(end.output);
}

describe('the agent runs every command type against the lab', () => {
  let before: { apic: string; kubernetes: string };
  let plan: Plan;

  it('gathers facts (aci.collect and cluster.collect with cilium status) the planner turns into a passing plan', async () => {
    before = await labDumps(bench.lab);
    const result = await runTask('gather-facts', [
      { type: 'aci.collect', fabric, spec },
      { type: 'cluster.collect', cluster, spec, ciliumStatus: true },
    ]);
    expect(result.results.map((r) => r.type)).toEqual(['aci.collect', 'cluster.collect']);
    plan = planWithPrechecks(spec, factsFromAgentResult(result, spec));
    expect(plan.prechecks.filter((p) => p.verdict !== 'pass')).toEqual([]);
    expect(plan.ops.filter((o) => o.target === 'apic').length).toBeGreaterThan(0);
    expect(plan.ops.filter((o) => o.target === 'kubernetes').length).toBeGreaterThan(0);
    const [aci, kube] = result.results;
    expect(aci?.type === 'aci.collect' && aci.responses.every((r) => r.totalCount === r.imdata.length)).toBe(true);
    expect(kube?.type === 'cluster.collect' && kube.ciliumStatus !== undefined && kube.ciliumStatusError === undefined).toBe(true);
  });

  it('takes an APIC snapshot and names the new one', async () => {
    const result = await runTask('snapshot', [{ type: 'aci.snapshot', fabric, policy: 'changeflow', waitSeconds: 20 }]);
    const [snap] = result.results;
    expect(snap?.type).toBe('aci.snapshot');
    if (snap?.type !== 'aci.snapshot') return;
    expect(snap.snapshotDn).toMatch(/^uni\/backupst\/snapshots-\[uni\/fabric\/configexp-changeflow\]\//);
    expect(snap.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('applies the APIC ops in order, each read back, with per-op outcome and timing', async () => {
    const ops = plan.ops.filter((o) => o.target === 'apic');
    const result = await runTask('apply-aci', [{ type: 'aci.apply', fabric, ops }]);
    const [applied] = result.results;
    expect(applied?.type).toBe('aci.apply');
    if (applied?.type !== 'aci.apply') return;
    expect(applied.ok).toBe(true);
    expect(applied.ops.map((o) => [o.opId, o.outcome, o.readback])).toEqual(ops.map((o) => [o.id, 'applied', 'matched']));
    for (const op of applied.ops) {
      expect(op.requests).toBe(1);
      expect(op.durationMs).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(Date.parse(op.startedAt))).toBe(false);
    }
    expect((await labDumps(bench.lab)).apic).not.toBe(before.apic);
  });

  it('applies the cluster ops (dry run, apply, read back) in order', async () => {
    const ops = plan.ops.filter((o) => o.target === 'kubernetes');
    const result = await runTask('apply-cluster', [{ type: 'cluster.apply', cluster, ops }]);
    const [applied] = result.results;
    expect(applied?.type).toBe('cluster.apply');
    if (applied?.type !== 'cluster.apply') return;
    expect(applied.ok).toBe(true);
    expect(applied.ops.map((o) => [o.opId, o.outcome, o.readback])).toEqual(ops.map((o) => [o.id, 'applied', 'matched']));
    // Both sides hold the password the reference names: the anchors' peers and the PeerConfig's Secret.
    const peerConfig = (await kubeJson(bench, '/apis/cilium.io/v2/ciliumbgppeerconfigs/aci-prod-a-l3out')) as { spec?: { authSecretRef?: string } };
    expect(peerConfig.spec?.authSecretRef).toBe('aci-prod-a-l3out-bgp-password');
    const secret = (await kubeJson(bench, '/api/v1/namespaces/kube-system/secrets/aci-prod-a-l3out-bgp-password')) as { data?: Record<string, string> };
    expect(Buffer.from(secret.data?.['password'] ?? '', 'base64').toString('utf8')).toBe(benchBgpSecret.value);
    const peers = bench.lab.apic.mit.byClass('bgpPeerP').map((p) => p.writeOnly?.['password']);
    expect(peers).toEqual([benchBgpSecret.value, benchBgpSecret.value]);
    const dumps = await labDumps(bench.lab);
    expect(dumps.apic + dumps.kubernetes).not.toContain(benchBgpSecret.value);
    expect(dumps.kubernetes).not.toContain(Buffer.from(benchBgpSecret.value).toString('base64'));
  });

  it('re-running an applied op is a no-op: the APIC refuses its stale create, its read-back holds, nothing changes', async () => {
    const ops = plan.ops.filter((o) => o.target === 'apic');
    const result = await runTask('apply-aci', [{ type: 'aci.apply', fabric, ops }]);
    const [applied] = result.results;
    if (applied?.type !== 'aci.apply') throw new Error('expected aci.apply');
    expect(applied.ops.map((o) => [o.outcome, o.requests])).toEqual(ops.map(() => ['unchanged', 1]));
  });

  it('gathers facts again after the apply: the Secret comes without its data and the plan is empty on both sides', async () => {
    const result = await runTask('gather-facts', [
      { type: 'aci.collect', fabric, spec },
      { type: 'cluster.collect', cluster, spec, ciliumStatus: false },
    ]);
    const kube = result.results[1];
    const secrets = kube?.type === 'cluster.collect' ? kube.objects.flatMap((o) => ((o as { kind?: string }).kind === 'SecretList' ? (o as { items: unknown[] }).items : [])) : [];
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatchObject({ metadata: { name: 'aci-prod-a-l3out-bgp-password', annotations: { 'changeflow.io/bgp-password-secret-ref': benchBgpSecret.ref } } });
    expect(secrets[0]).not.toHaveProperty('data');
    const again = planWithPrechecks(spec, factsFromAgentResult(result, spec));
    expect(again.ops.map((o) => o.id)).toEqual([]);
    expect(JSON.stringify(result) + JSON.stringify(again)).not.toContain(benchBgpSecret.value);
  });

  it('verifies BGP on both sides, the pool, the egress policy and a connectivity test', async () => {
    const result = await runTask('verify', [{ type: 'verify', fabric, cluster, spec }]);
    const [verified] = result.results;
    expect(verified?.type).toBe('verify');
    if (verified?.type !== 'verify') return;
    expect(verified.checks.map((c) => [c.id, c.verdict])).toEqual([
      ['bgp-fabric', 'pass'],
      ['bgp-cluster', 'pass'],
      ['lb-pools', 'pass'],
      ['egress-gateway', 'pass'],
      ['connectivity-test', 'pass'],
    ]);
    expect(verified.ok).toBe(true);
    expect(verified.checks.find((c) => c.id === 'connectivity-test')?.evidence).toMatch(/^\d+ tests, 0 failed/);
  });

  it('rolls back the inverses in reverse order (cluster, then APIC) and restores both dumps byte for byte', async () => {
    const steps = rollbackSteps(plan.ops, ['kubernetes', 'apic']);
    expect(steps.map((s) => s.target).lastIndexOf('kubernetes')).toBeLessThan(steps.map((s) => s.target).indexOf('apic'));
    const result = await runTask('rollback', [{ type: 'rollback', fabric, cluster, ops: plan.ops, undo: ['kubernetes', 'apic'] }]);
    const [rolled] = result.results;
    expect(rolled?.type).toBe('rollback');
    if (rolled?.type !== 'rollback') return;
    expect(rolled.ok).toBe(true);
    expect(rolled.steps.map((s) => s.outcome)).toEqual(steps.map(() => 'applied'));
    expect(rolled.steps.map((s) => s.opId.replace(/#\d+$/, ''))).toEqual(steps.map((s) => s.opId));
    const after = await labDumps(bench.lab);
    expect(after.apic).toBe(before.apic);
    expect(after.kubernetes).toBe(before.kubernetes);
  });

  it('after the rollback, verify fails the BGP checks when the task deadline leaves no time to wait', async () => {
    // BGP may wait up to the spec's timeout but never past the task deadline minus a 5 s margin.
    const started = Date.now();
    const result = await runTask('verify', [{ type: 'verify', fabric, cluster, spec }], 7);
    expect(Date.now() - started).toBeLessThan(6_000);
    const [verified] = result.results;
    if (verified?.type !== 'verify') throw new Error('expected verify');
    expect(verified.ok).toBe(false);
    expect(verified.checks.find((c) => c.id === 'bgp-fabric')).toMatchObject({ verdict: 'fail', evidence: expect.stringMatching(/missing|not established/) });
    expect(verified.checks.find((c) => c.id === 'bgp-cluster')?.verdict).toBe('fail');
    expect(verified.checks.some((c) => c.id === 'connectivity-test')).toBe(false);
  });

  it('wrote every result and log line without the APIC password or the kube token', () => {
    const text = JSON.stringify(outputs) + logLines.join('\n');
    expect(outputs.length).toBeGreaterThanOrEqual(8);
    expect(logLines.length).toBeGreaterThan(0);
    expect(text).not.toContain(bench.lab.apic.password);
    expect(text).not.toContain(bench.lab.kubernetes.token);
    // The BGP password: not in the signed plan the tasks carried, any result or log line.
    for (const form of [benchBgpSecret.value, Buffer.from(benchBgpSecret.value).toString('base64')]) {
      expect(text + JSON.stringify(plan)).not.toContain(form);
    }
    expect(JSON.stringify(plan.ops)).toContain(`"secretRef":"${benchBgpSecret.ref}"`);
  });
});
