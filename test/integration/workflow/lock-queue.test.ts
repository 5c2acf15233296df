import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { GetExecutionHistoryCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockTarget } from '../../../cli/commands/unlock.js';
import type { AgentTask } from '../../../shared/agent-protocol/index.js';
import type { AuditEvent } from '../../../shared/store/index.js';
import { eventually } from '../../support/eventually.js';
import { startLabFacts, type LabFacts } from '../../support/lab-facts.js';
import { ManualTimers } from '../../support/manual-timers.js';
import { healthyAnswer } from '../../support/scripted-answers.js';
import { startWorkflowHarness, testTiming, type ScriptedAnswer, type WorkflowHarness } from '../../support/workflow-harness.js';

// The busy-target queue on the real workflow (CDK-built ASL, real handlers, dynalite, the local
// engine's `.waitForTaskToken`): changes that find a target leased queue with their task token
// and are woken by the release of the change ahead. The engine's deadlines run on a manual clock,
// so a wait slice ends when the test says so. Changes are plan-only (they still take both locks)
// unless a test needs an apply.

const poolText = readFileSync('examples/add-pool-blue.yaml', 'utf8');
const onboardText = readFileSync('examples/onboard-prod-a.yaml', 'utf8');
const fabric = 'fabric#dc1-aci';
const cluster = 'cluster#prod-a';
const timers = new ManualTimers();

let h: WorkflowHarness;
let labs: LabFacts;
let agent: { stop(): Promise<void> };
let seq = 0;
let rollbackFails = false;

// Verification fails so that the rollback runs (the ROLLBACK_FAILED test); the rest is the
// shared healthy agent.
const verifyFails: ScriptedAnswer = { kind: 'success', results: [{ type: 'verify', ok: false, checks: [{ id: 'bgp-fabric', verdict: 'fail', evidence: 'w1@101 idle', durationMs: 1 }] }] };

function answer(task: AgentTask): Promise<ScriptedAnswer> | ScriptedAnswer {
  return healthyAnswer(labs, task, {
    verify: verifyFails,
    rollback: (t) => (rollbackFails ? { kind: 'failure', error: 'ApicUnavailable', cause: 'APIC answered 503 five times' } : healthyAnswer(labs, t)),
  });
}

beforeAll(async () => {
  [h, labs] = await Promise.all([startWorkflowHarness({ timers }), startLabFacts()]);
  agent = h.runAgent(answer);
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await h?.close();
  await labs?.close();
});

async function start(spec = poolText): Promise<{ changeId: string; arn: string }> {
  const changeId = `q-${Date.now()}-${++seq}`;
  const arn = await h.start(changeId, { source: 'api', requestedBy: 'queue-test', ticket: { system: 'none' }, spec: parseYaml(spec) as unknown });
  return { changeId, arn };
}

const eventsOf = async (changeId: string): Promise<AuditEvent[]> => (await h.store.getChangeWithEvents(changeId)).events;

/** Waits for the `round`th lock.queued event of a change (its wait is armed once it is there). */
async function queued(changeId: string, round = 1): Promise<AuditEvent> {
  return h.waitForEvent((e) => e.changeId === changeId && e.type === 'lock.queued' && (e.detail as { round?: number }).round === round);
}

/**
 * Resolves once `count` queue steps of the execution have returned (TaskSubmitted: the Lambda put
 * its token in the queue, recorded lock.queued and kicked the target). Before that, an unlock can
 * race the step's own kick, which may take the freed lease first — as it should, but then the
 * unlock has nothing left to hand over.
 */
async function queueStepsReturned(executionArn: string, count = 1): Promise<void> {
  await eventually(async () => {
    const history = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    return (history.events ?? []).filter((e) => e.type === 'TaskSubmitted').length >= count;
  }, `the queue step of ${executionArn} did not return`, { within: 30_000, every: 20 });
}

const acquiredAt = async (changeId: string): Promise<string> => (await eventsOf(changeId)).find((e) => e.type === 'lock.acquired')?.at ?? 'never';

describe('busy targets: the FIFO wait queue with handoff', () => {
  it('wakes waiters in the order they queued, each handed the lease by the release of the one ahead', async () => {
    await h.store.locks.acquire([cluster], 'outside', 60_000);
    const changes = [];
    for (let i = 0; i < 3; i += 1) {
      const change = await start();
      const event = await queued(change.changeId);
      expect(event.detail).toMatchObject({ target: cluster, behind: 'outside', position: i + 1 });
      changes.push(change);
    }
    const first = await h.queues.handOver(cluster, 'outside', 60_000, h.waker);
    expect(first.to?.changeId).toBe(changes[0]?.changeId);
    const ends = await Promise.all(changes.map((c) => h.waitForEnd(c.arn)));
    expect(ends.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const times = await Promise.all(changes.map((c) => acquiredAt(c.changeId)));
    expect([...times].sort()).toEqual(times);
    // Each change's release handed the cluster to the next one in line.
    for (const [i, c] of changes.slice(0, 2).entries()) {
      const handed = (await eventsOf(c.changeId)).find((e) => e.type === 'lock.handed-over');
      expect(handed?.detail).toMatchObject({ target: cluster, to: changes[i + 1]?.changeId, skipped: [] });
    }
    for (const c of changes) expect((await eventsOf(c.changeId)).some((e) => e.type === 'lock.busy')).toBe(false);
    expect(await h.store.locks.get(cluster)).toBeUndefined();
  }, 180_000);

  it('skips a waiter whose execution was stopped and hands the lease to the next', async () => {
    await h.store.locks.acquire([cluster], 'outside', 60_000);
    const stopped = await start();
    await queued(stopped.changeId);
    const next = await start();
    await queued(next.changeId);
    await h.sfn.send(new StopExecutionCommand({ executionArn: stopped.arn, cause: 'operator stopped it' }));
    expect((await h.waitForEnd(stopped.arn)).status).toBe('ABORTED');
    const handed = await h.queues.handOver(cluster, 'outside', 60_000, h.waker);
    expect(handed).toMatchObject({ skipped: [stopped.changeId], to: { changeId: next.changeId } });
    expect((await h.waitForEnd(next.arn)).status).toBe('SUCCEEDED');
    expect((await h.store.changes.require(next.changeId)).status).toBe('PLANNED');
  }, 180_000);

  it('re-arms a waiter whose token timed out with a new token, keeping its place in the queue', async () => {
    await h.store.locks.acquire([cluster], 'outside', 60_000);
    const waiter = await start();
    const round1 = await queued(waiter.changeId);
    const [before] = await h.queues.entries(cluster);
    // The wait slice (the callback's TimeoutSeconds) ends: States.Timeout → Acquire locks → re-armed.
    timers.advance(testTiming.lockWait.sliceSeconds * 1000);
    const round2 = await queued(waiter.changeId, 2);
    expect((round2.detail as { since: string }).since).toBe((round1.detail as { since: string }).since);
    const [after] = await h.queues.entries(cluster);
    expect(after?.token).not.toBe(before?.token);
    const handed = await h.queues.handOver(cluster, 'outside', 60_000, h.waker);
    expect(handed.to?.changeId).toBe(waiter.changeId);
    expect((await h.waitForEnd(waiter.arn)).status).toBe('SUCCEEDED');
  }, 180_000);

  it('runs two changes contending for one fabric+cluster pair held from opposite ends without deadlock', async () => {
    // One outside change holds the fabric, another the cluster: the pair is contended from both
    // ends. Both queued changes walk the targets in the same order, so neither can hold one while
    // the other holds the second.
    await h.store.locks.acquire([fabric], 'outside-fabric', 60_000);
    await h.store.locks.acquire([cluster], 'outside-cluster', 60_000);
    const x = await start();
    await queued(x.changeId);
    const y = await start();
    await queued(y.changeId);
    await h.queues.handOver(fabric, 'outside-fabric', 60_000, h.waker);
    await h.queues.handOver(cluster, 'outside-cluster', 60_000, h.waker);
    const ends = await Promise.all([h.waitForEnd(x.arn), h.waitForEnd(y.arn)]);
    expect(ends.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const [xe, ye] = await Promise.all([eventsOf(x.changeId), eventsOf(y.changeId)]);
    const span = (events: AuditEvent[]) => [events.find((e) => e.type === 'lock.acquired')?.at ?? '', events.find((e) => e.type === 'lock.released')?.at ?? ''];
    const [xs, xr] = span(xe);
    const [ys, yr] = span(ye);
    // Never both holding: one's hold ends before the other's begins.
    expect((xr ?? '') <= (ys ?? '') || (yr ?? '') <= (xs ?? '')).toBe(true);
    expect(await h.store.locks.get(fabric)).toBeUndefined();
    expect(await h.store.locks.get(cluster)).toBeUndefined();
  }, 180_000);

  it('keeps the leases of a ROLLBACK_FAILED change (the queue waits) and `unlock` hands each to the head', async () => {
    rollbackFails = true;
    const broken = await start(onboardText);
    expect((await h.waitForEnd(broken.arn)).error).toBe('ROLLBACK_FAILED');
    rollbackFails = false;
    const waiter = await start();
    await queued(waiter.changeId);
    await queueStepsReturned(waiter.arn);
    // Its release held the leases: nothing was handed over.
    expect((await eventsOf(broken.changeId)).some((e) => e.type === 'lock.handed-over')).toBe(false);
    expect((await h.store.locks.get(cluster))?.owner).toBe(broken.changeId);
    const io = { colour: false, lines: [] as string[], write: async (s: string) => void io.lines.push(s), error: (s: string) => void io.lines.push(s) };
    const opts = { reason: 'checked by hand', by: 'operator', dynamodb: h.table.endpoint, table: h.table.tableName, dataDir: '/nonexistent', sfn: h.local.endpoint };
    expect(await unlockTarget('cluster:prod-a', opts, io)).toBe(0);
    expect(io.lines.join('')).toContain(`handed over to ${waiter.changeId}`);
    // Woken with the cluster, the waiter walks on to the fabric, still held, and queues there.
    await queued(waiter.changeId, 1).then(() => h.waitForEvent((e) => e.changeId === waiter.changeId && e.type === 'lock.queued' && (e.detail as { target?: string }).target === fabric));
    await queueStepsReturned(waiter.arn, 2);
    expect(await unlockTarget('fabric:dc1-aci', opts, io)).toBe(0);
    expect((await h.waitForEnd(waiter.arn)).status).toBe('SUCCEEDED');
    expect((await h.store.changes.require(waiter.changeId)).status).toBe('PLANNED');
    const trail = (await eventsOf(broken.changeId)).filter((e) => e.type.startsWith('lock.released.forced') || e.type === 'lock.handed-over');
    expect(trail.map((e) => [e.type, (e.detail as { to?: string }).to ?? null, e.actor])).toEqual([
      ['lock.released.forced', null, 'operator'],
      ['lock.handed-over', waiter.changeId, 'operator'],
      ['lock.released.forced', null, 'operator'],
      ['lock.handed-over', waiter.changeId, 'operator'],
    ]);
    expect((await h.store.audit.verify(broken.changeId)).valid).toBe(true);
  }, 180_000);
});
