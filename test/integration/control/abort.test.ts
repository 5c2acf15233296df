import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTask } from '../../../shared/agent-protocol/index.js';
import { healthyAnswer } from '../../support/scripted-answers.js';
import { cli, post, reach, startChange, startControlStack, timelinePage, type ControlStack } from './control-stack.js';

// Abort (DESIGN.md §3.7): before anything was applied the change ends ABORTED with its locks
// released; while applying it rolls back like a failure and ends ROLLED_BACK "aborted by X";
// once final, 409.

const pool = readFileSync('examples/add-pool-blue.yaml', 'utf8').replace('mode: plan-only', 'mode: apply');

let stack: ControlStack;
beforeAll(async () => {
  stack = await startControlStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const steps = (changeId: string) => stack.h.tasks.filter((t) => t.changeId === changeId).map((t) => t.step);
const types = async (changeId: string) => (await stack.h.store.getChangeWithEvents(changeId)).events.map((e) => e.type);

async function expectUnlocked() {
  expect(await stack.h.store.locks.get('fabric#dc1-aci')).toBeUndefined();
  expect(await stack.h.store.locks.get('cluster#prod-a')).toBeUndefined();
}

describe('aborting a change', () => {
  it('ends ABORTED at once while it waits for an approval, locks released', async () => {
    const run = await startChange(stack, `${pool}approval: required\n`);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    const out = await cli(stack, ['abort', run.changeId, '--reason', 'wrong ticket', '--by', 'jane']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('ABORTED before anything is applied');
    await run.end();
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.status).toBe('ABORTED');
    expect(change.outcome?.reason).toBe('aborted by jane: wrong ticket');
    expect(await timelinePage(stack, run.changeId)).toContain('<h2>Aborted by jane</h2><p>wrong ticket. Nothing was applied; the locks were released.</p>');
    expect(steps(run.changeId)).toEqual(['gather-facts']);
    expect(await types(run.changeId)).toEqual(expect.arrayContaining(['abort.requested', 'change.aborted', 'lock.released']));
    await expectUnlocked();
    // Once final: 409, and the CLI exits 6.
    expect((await post(stack, `/changes/${run.changeId}/abort`, { by: 'jane', reason: 'again' })).status).toBe(409);
    expect((await cli(stack, ['abort', run.changeId, '--reason', 'again'])).code).toBe(6);
  });

  it('ends ABORTED before apply when asked while facts are gathered', async () => {
    let changeId = '';
    const run = await startChange(stack, pool, {
      'gather-facts': async (task: AgentTask) => {
        expect((await post(stack, `/changes/${task.changeId}/abort`, { by: 'noc', reason: 'storm warning' })).status).toBe(202);
        changeId = task.changeId;
        return healthyAnswer(stack.labs, task);
      },
    });
    await run.end();
    expect(changeId).toBe(run.changeId);
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.status).toBe('ABORTED');
    expect(change.outcome?.reason).toBe('aborted by noc: storm warning');
    expect(steps(run.changeId)).toEqual(['gather-facts']);
    await expectUnlocked();
  });

  it('rolls back when aborted while applying, ending ROLLED_BACK "aborted by X"', async () => {
    const run = await startChange(stack, pool, {
      'apply-cluster': async (task: AgentTask) => {
        expect((await post(stack, `/changes/${task.changeId}/abort`, { by: 'jane', reason: 'customer complaint' })).body).toMatchObject({ status: 'aborting', effect: 'roll back' });
        return healthyAnswer(stack.labs, task);
      },
    });
    const end = await run.end();
    expect(end.error).toBe('ROLLED_BACK');
    expect(steps(run.changeId)).toEqual(['gather-facts', 'snapshot', 'apply-aci', 'apply-cluster', 'rollback']);
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.status).toBe('ROLLED_BACK');
    expect(change.outcome?.reason).toMatch(/^aborted by jane: customer complaint/);
    const rollback = stack.h.tasks.find((t) => t.changeId === run.changeId && t.step === 'rollback')?.commands[0];
    expect(rollback?.type === 'rollback' && rollback.undo).toEqual(['kubernetes', 'apic']);
    await expectUnlocked();
  });

  it('answers 404 for an unknown change and 400 for a body without a reason', async () => {
    expect((await post(stack, '/changes/no-such-change/abort', { by: 'x', reason: 'y' })).status).toBe(404);
    expect((await cli(stack, ['abort', 'no-such-change', '--reason', 'y'])).code).toBe(4);
    expect((await post(stack, '/changes/no-such-change/abort', { by: 'x' })).status).toBe(400);
  });
});
