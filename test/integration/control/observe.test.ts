import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTask } from '../../../shared/agent-protocol/index.js';
import { healthyAnswer } from '../../support/scripted-answers.js';
import type { ScriptedAnswer } from '../../support/workflow-harness.js';
import { post, reach, startChange, startControlStack, type ControlStack } from './control-stack.js';

// The observation window (docs/architecture.md §3.7): verified, the change stays OBSERVING with its
// locks held while the agent re-runs the cheap checks every interval (the engine's Wait is
// shortened, the loop is the real ASL); a clean window ends SUCCEEDED and closes the ticket only
// then, a regression or an abort rolls back and ends ROLLED_BACK with the reason.

const pool = readFileSync('examples/add-pool-blue.yaml', 'utf8').replace('mode: plan-only', 'mode: apply');
const observed = (seconds: number, interval = 5) => `${pool}verify:\n  observeSeconds: ${seconds}\n  observeIntervalSeconds: ${interval}\n`;

let stack: ControlStack;
beforeAll(async () => {
  stack = await startControlStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const steps = (changeId: string) => stack.h.tasks.filter((t) => t.changeId === changeId).map((t) => t.step);
const events = async (changeId: string) => (await stack.h.store.getChangeWithEvents(changeId)).events;
const pass: ScriptedAnswer = { kind: 'success', results: [{ type: 'verify', ok: true, checks: [{ id: 'bgp-fabric', verdict: 'pass', evidence: '8 sessions established', durationMs: 2 }] }] };

describe('the observation window', () => {
  it('re-runs the cheap checks once per interval with the locks held, then ends SUCCEEDED', async () => {
    const observeTasks: AgentTask[] = [];
    let lockedWhileObserving = false;
    const run = await startChange(stack, observed(12), {
      observe: async (task) => {
        observeTasks.push(task);
        lockedWhileObserving ||= (await stack.h.store.locks.get('cluster#prod-a'))?.owner === task.changeId && (await stack.h.store.changes.require(task.changeId)).status === 'OBSERVING';
        return pass;
      },
    });
    expect(await run.end()).toMatchObject({ status: 'SUCCEEDED' });
    // 12 s at one check per 5 s: three checks, each one look without a connectivity test.
    expect(steps(run.changeId).slice(-4)).toEqual(['verify', 'observe', 'observe', 'observe']);
    expect(observeTasks.map((t) => t.commands[0])).toEqual(Array(3).fill(expect.objectContaining({ type: 'verify', observe: true })));
    expect(lockedWhileObserving).toBe(true);
    const trail = await events(run.changeId);
    const types = trail.map((e) => e.type);
    expect(types.slice(types.indexOf('verify.passed'))).toEqual(expect.arrayContaining(['observe.started', 'observe.check', 'observe.passed', 'change.succeeded']));
    expect(trail.find((e) => e.type === 'observe.started')).toMatchObject({ status: 'OBSERVING', detail: { seconds: 12, intervalSeconds: 5, checks: 3 } });
    // The ticket is written back (and closed) only after the window.
    expect(types.indexOf('observe.passed')).toBeLessThan(types.indexOf('change.succeeded'));
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.outcome?.reason).toBe('verified, then observed 12 s (3 checks) without a regression');
    expect(await stack.h.store.locks.get('cluster#prod-a')).toBeUndefined();
  });

  it('rolls back when a check regresses, naming the check and when', async () => {
    let round = 0;
    const run = await startChange(stack, observed(60), {
      observe: () =>
        ++round < 2
          ? pass
          : { kind: 'success', results: [{ type: 'verify', ok: false, checks: [{ id: 'bgp-fabric', verdict: 'fail', evidence: 'not established prod-a-w1@101=idle', durationMs: 2 }] }] },
    });
    expect(await run.end()).toMatchObject({ status: 'FAILED', error: 'ROLLED_BACK' });
    expect(steps(run.changeId).slice(-3)).toEqual(['observe', 'observe', 'rollback']);
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.status).toBe('ROLLED_BACK');
    expect(change.outcome?.reason).toMatch(/^rolled back after ObservationRegressed: bgp-fabric regressed at \d{4}-\d\d-\d\dT[\d:.]+Z, \d+ s into the observation window \(check 2 of 12\): bgp-fabric fail \(not established prod-a-w1@101=idle\)/);
    const statuses = (await events(run.changeId)).filter((e) => e.status).map((e) => e.status);
    expect(statuses).toEqual(expect.arrayContaining(['OBSERVING', 'ROLLING_BACK', 'ROLLED_BACK']));
    expect((await events(run.changeId)).find((e) => e.type === 'observe.regressed')).toMatchObject({ detail: { round: 2, of: 12, checks: [{ id: 'bgp-fabric', verdict: 'fail' }] } });
  });

  it('rolls back when aborted while observing', async () => {
    const run = await startChange(stack, observed(3600), {
      observe: async (task) => {
        if (stack.h.tasks.filter((t) => t.changeId === task.changeId && t.step === 'observe').length === 2) {
          expect((await post(stack, `/changes/${task.changeId}/abort`, { by: 'noc', reason: 'customer complaint' })).status).toBe(202);
        }
        return healthyAnswer(stack.labs, task, { observe: pass });
      },
    });
    await reach(stack, run.changeId, 'OBSERVING');
    expect(await run.end()).toMatchObject({ status: 'FAILED', error: 'ROLLED_BACK' });
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.outcome?.reason).toBe('aborted by noc: customer complaint; rolled back');
    expect(steps(run.changeId).slice(-1)).toEqual(['rollback']);
  });
});
