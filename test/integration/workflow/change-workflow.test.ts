import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { authorizeTask } from '../../../agent/task-authorization.js';
import { rollbackSteps, type AgentTask } from '../../../shared/agent-protocol/index.js';
import { Plan } from '../../../shared/plan/index.js';
import { DocumentRef } from '../../../shared/store/index.js';
import { startLabFacts, type LabFacts } from '../../support/lab-facts.js';
import { healthyAnswer, type Overrides } from '../../support/scripted-answers.js';
import { startWorkflowHarness, type AgentScript, type ScriptedAnswer, type WorkflowHarness } from '../../support/workflow-harness.js';

// The change workflow end to end on the local engine: the CDK-built ASL, the real Lambda handlers
// over dynalite, and a scripted agent (real facts from the lab emulators, scripted outcomes for
// the steps that would touch the fabric and the cluster).

const onboardText = readFileSync('examples/onboard-prod-a.yaml', 'utf8');
const poolText = readFileSync('examples/add-pool-blue.yaml', 'utf8');

let h: WorkflowHarness;
let labs: LabFacts;
let seq = 0;

beforeAll(async () => {
  [h, labs] = await Promise.all([startWorkflowHarness(), startLabFacts()]);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await labs?.close();
});

// The healthy agent of test/support/scripted-answers.ts; a test overrides single steps.
function ok(task: AgentTask, overrides: Overrides = {}): Promise<ScriptedAnswer> | ScriptedAnswer {
  return healthyAnswer(labs, task, overrides);
}

async function run(specText: string, script: AgentScript, opts: { request?: unknown } = {}) {
  const changeId = `wf-${Date.now()}-${++seq}`;
  const before = h.tasks.length;
  const agent = h.runAgent(script);
  try {
    const arn = await h.start(changeId, opts.request ?? { source: 'api', requestedBy: 'workflow-test', ticket: { system: 'none' }, spec: parse(specText) as unknown });
    const end = await h.waitForEnd(arn, 90_000);
    const tasks = h.tasks.slice(before).filter((t) => t.changeId === changeId);
    return { changeId, arn, end, tasks, steps: tasks.map((t) => t.step) };
  } finally {
    await agent.stop();
  }
}

async function eventsOf(changeId: string) {
  return (await h.store.getChangeWithEvents(changeId)).events;
}

async function expectChainValid(changeId: string, minEvents = 4) {
  const verdict = await h.store.audit.verify(changeId);
  expect(verdict.valid, JSON.stringify(verdict)).toBe(true);
  expect(verdict.events).toBeGreaterThanOrEqual(minEvents);
}

describe('the change workflow on the local engine', () => {
  it('runs a healthy change to SUCCEEDED with every step recorded in a verifying chain', async () => {
    const r = await run(onboardText, (t) => ok(t));
    expect(r.end.status, r.end.cause).toBe('SUCCEEDED');
    expect(r.steps).toEqual(['gather-facts', 'snapshot', 'apply-aci', 'apply-cluster', 'verify']);
    const change = await h.store.changes.require(r.changeId);
    expect(change.status).toBe('SUCCEEDED');
    expect(change.planHash).toMatch(/^[0-9a-f]{64}$/);
    // One line per change of the spec: the `summary` column of `audit export --what changes`.
    expect(change.summary).toMatch(/^bgpPeering AS 64512 .* · loadBalancerPool pool-red /);
    const types = (await eventsOf(r.changeId)).map((e) => e.type);
    for (const t of ['change.received', 'lock.acquired', 'facts.gathered', 'precheck.passed', 'plan.created', 'recheck.passed', 'snapshot.created', 'apply.aci.op.before', 'apply.aci.op', 'apply.cluster.applied', 'verify.passed', 'change.succeeded', 'lock.released']) {
      expect(types, `missing ${t}`).toContain(t);
    }
    // Every op was recorded before it ran, and again after.
    expect(types.filter((t) => t === 'apply.aci.op.before').length).toBe(types.filter((t) => t === 'apply.aci.op').length);
    expect(await h.store.locks.get('fabric#dc1-aci')).toBeUndefined();
    // The plan step signed every task that writes; the agent's own check accepts each as it came.
    for (const task of r.tasks.filter((t) => t.step !== 'gather-facts' && t.step !== 'verify')) {
      expect(task.signature?.keyId, task.step).toBe(h.planKey.keyId);
      expect(() => authorizeTask(task, { site: 'dc1', keys: [h.planKey], now: () => new Date() }), task.step).not.toThrow();
    }
    await expectChainValid(r.changeId);
  });

  it('rejects a change whose precheck fails without sending anything to apply', async () => {
    const wrongAsn = onboardText.replace('fabricAsn: 65001', 'fabricAsn: 65002');
    const r = await run(wrongAsn, (t) => ok(t));
    expect(r.end.status).toBe('SUCCEEDED'); // a rejection is a normal business outcome, not an engine failure
    expect(r.steps).toEqual(['gather-facts']);
    const change = await h.store.changes.require(r.changeId);
    expect(change.status).toBe('REJECTED');
    expect(change.outcome?.reason).toContain('aci.conflict.fabric-asn');
    const failed = (await eventsOf(r.changeId)).find((e) => e.type === 'precheck.failed');
    expect(JSON.stringify(failed?.detail)).toContain('65001');
    await expectChainValid(r.changeId);
  });

  it('rolls back when apply-cluster fails: cluster inverses first, then the APIC inverses in reverse order', async () => {
    const r = await run(onboardText, (t) => ok(t, { 'apply-cluster': { kind: 'failure', error: 'ApplyConflict', cause: 'conflict with "helm" using v1: .data.enable-bgp-control-plane' } }));
    expect(r.end.status).toBe('FAILED');
    expect(r.end.error).toBe('ROLLED_BACK');
    expect(r.steps).toEqual(['gather-facts', 'snapshot', 'apply-aci', 'apply-cluster', 'rollback']);
    const change = await h.store.changes.require(r.changeId);
    expect(change.status).toBe('ROLLED_BACK');
    const planEvent = (await eventsOf(r.changeId)).find((e) => e.type === 'plan.created');
    const plan = Plan.parse(await h.store.documents.getDocument(DocumentRef.parse((planEvent?.detail as { document?: unknown } | undefined)?.document)));
    const rollbackTask = r.tasks.find((t) => t.step === 'rollback');
    const cmd = rollbackTask?.commands[0];
    if (cmd?.type !== 'rollback') throw new Error('no rollback command');
    // The rollback task carries the whole plan, signed: the agent's check accepts it as it came.
    expect(() => authorizeTask(rollbackTask as AgentTask, { site: 'dc1', keys: [h.planKey], now: () => new Date() })).not.toThrow();
    const steps = rollbackSteps(cmd.ops, cmd.undo);
    const targets = steps.map((s) => s.target);
    expect(targets.indexOf('apic')).toBeGreaterThan(targets.lastIndexOf('kubernetes'));
    const apicOps = plan.ops.filter((o) => o.target === 'apic').map((o) => o.id);
    const apicStepOps = [...new Set(steps.filter((s) => s.target === 'apic').map((s) => s.opId))];
    expect(apicOps.length).toBeGreaterThan(0);
    expect(apicStepOps).toEqual([...apicOps].reverse());
    const started = (await eventsOf(r.changeId)).find((e) => e.type === 'rollback.started');
    expect(JSON.stringify(started?.detail)).toContain('ApplyConflict');
    await expectChainValid(r.changeId);
  });

  it('ends ROLLBACK_FAILED with the locks held and a page sent when the rollback itself fails', async () => {
    const r = await run(onboardText, (t) =>
      ok(t, {
        verify: { kind: 'success', results: [{ type: 'verify', ok: false, checks: [{ id: 'bgp-fabric', verdict: 'fail', evidence: 'w1@101 idle', durationMs: 1 }] }] },
        rollback: { kind: 'failure', error: 'ApicUnavailable', cause: 'APIC answered 503 five times' },
      }),
    );
    expect(r.end.error).toBe('ROLLBACK_FAILED');
    const change = await h.store.changes.require(r.changeId);
    expect(change.status).toBe('ROLLBACK_FAILED');
    const lease = await h.store.locks.get('fabric#dc1-aci');
    expect(lease?.owner).toBe(r.changeId);
    expect(lease?.held).toBe(true);
    expect(h.local.runtime.alerts().some((a) => JSON.stringify(a).includes(r.changeId))).toBe(true);
    await expectChainValid(r.changeId);
    // A person looked: free the targets for the next tests, recorded in the audit trail.
    await h.store.locks.forceUnlock('fabric#dc1-aci', 'test', 'restored by hand');
    await h.store.locks.forceUnlock('cluster#prod-a', 'test', 'restored by hand');
  });

  it('rolls back when the agent stops heartbeating mid-apply', async () => {
    const r = await run(onboardText, (t) => ok(t, { 'apply-aci': { kind: 'vanish' } }));
    expect(r.end.error).toBe('ROLLED_BACK');
    expect(r.steps).toEqual(['gather-facts', 'snapshot', 'apply-aci', 'rollback']);
    const started = (await eventsOf(r.changeId)).find((e) => e.type === 'rollback.started');
    expect(JSON.stringify(started?.detail)).toContain('States.HeartbeatTimeout');
    // Only the APIC was touched: no cluster inverse is sent.
    const cmd = r.tasks.find((t) => t.step === 'rollback')?.commands[0];
    expect(cmd?.type === 'rollback' && cmd.undo).toEqual(['apic']);
    await expectChainValid(r.changeId);
  });

  it('stops at PLANNED for a plan-only change', async () => {
    const r = await run(poolText, (t) => ok(t));
    expect(r.end.status).toBe('SUCCEEDED');
    expect(r.steps).toEqual(['gather-facts']);
    const change = await h.store.changes.require(r.changeId);
    expect(change.status).toBe('PLANNED');
    expect((await eventsOf(r.changeId)).some((e) => e.type === 'plan.created')).toBe(true);
    await expectChainValid(r.changeId);
  });

  it('queues behind a busy target and runs as soon as the lease is handed over', async () => {
    await h.store.locks.acquire(['fabric#dc1-aci'], 'other-change', 60_000);
    const handOver = (async () => {
      const queued = await h.waitForEvent((e) => e.type === 'lock.queued' && e.changeId.startsWith('wf-'));
      return h.queues.handOver('fabric#dc1-aci', 'other-change', 60_000, h.waker).then((r) => ({ r, queued }));
    })();
    const r = await run(poolText, (t) => ok(t));
    const { r: handed, queued } = await handOver;
    expect(handed.to?.changeId).toBe(r.changeId);
    expect(queued.detail).toMatchObject({ target: 'fabric#dc1-aci', behind: 'other-change', position: 1 });
    const change = await h.store.changes.require(r.changeId);
    expect(change.status).toBe('PLANNED');
    const types = (await eventsOf(r.changeId)).map((e) => e.type);
    expect(types).not.toContain('lock.busy');
    expect(types.slice(0, 4)).toEqual(['change.received', 'lock.queued', 'lock.acquired', 'facts.gathered']);
    await expectChainValid(r.changeId);
  });

  it('ends REJECTED:busy with its queue position when the ticket window has ended while the target is busy', async () => {
    await h.store.locks.acquire(['cluster#prod-a'], 'long-change', 60_000);
    try {
      const window = { start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date(Date.now() - 1000).toISOString() };
      const r = await run(poolText, (t) => ok(t), { request: { source: 'api', requestedBy: 'workflow-test', ticket: { system: 'none' }, window, spec: parse(poolText) as unknown } });
      expect(r.steps).toEqual([]);
      const change = await h.store.changes.require(r.changeId);
      expect(change.status).toBe('REJECTED');
      expect(change.outcome?.reason).toMatch(/^busy: waited for cluster#prod-a .* position 1 in its queue, behind change long-change/);
      expect(await h.queues.entries('cluster#prod-a')).toEqual([]);
      // received, lock.busy (where it stood), change.rejected
      await expectChainValid(r.changeId, 3);
    } finally {
      await h.store.locks.release(['cluster#prod-a'], 'long-change');
    }
  });

  it('records a console request with a typo as a FAILED change naming the field', async () => {
    const r = await run(onboardText, (t) => ok(t), {
      // A console start pastes the spec as JSON: the workflow reads no YAML (intake does).
      request: { source: 'console', requestedBy: 'jane', ticket: { system: 'none' }, spec: parse(onboardText.replace('clusterAsn: 64512', 'clusterAsn: "sixty-four"')) as unknown },
    });
    expect(r.end.status).toBe('FAILED');
    expect(r.end.error).toBe('InvalidInput');
    const change = await h.store.changes.require(r.changeId);
    expect(change.status).toBe('FAILED');
    expect(change.outcome?.reason).toContain('spec.changes[0].clusterAsn');
    const types = (await eventsOf(r.changeId)).map((e) => e.type);
    expect(types).toEqual(['change.received', 'change.failed']);
    await expectChainValid(r.changeId, 2);
  });

  it('refuses a spec pasted as YAML text into the execution input, saying where text is read', async () => {
    const r = await run(onboardText, (t) => ok(t), { request: { source: 'console', requestedBy: 'jane', ticket: { system: 'none' }, spec: onboardText } });
    expect(r.end.status).toBe('FAILED');
    expect(r.end.error).toBe('InvalidInput');
    const change = await h.store.changes.require(r.changeId);
    expect(change.outcome?.reason).toContain('spec: expected the ChangeSpec as an object (JSON); YAML text is read by POST /changes');
  });
});
