import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armed, cli, post, reach, startChange, startControlStack, timelinePage, type ControlStack } from './control-stack.js';

// Approve the plan (DESIGN.md §3.7): after prechecks and the plan the change waits in
// AWAITING_APPROVAL on a `.waitForTaskToken` task with its locks held; the right plan hash lets it
// go on (through the re-check), a wrong one is 409 and changes nothing, and nobody answering
// ends REJECTED with the locks released.

const pool = readFileSync('examples/add-pool-blue.yaml', 'utf8').replace('mode: plan-only', 'mode: apply');
const needsApproval = `${pool}approval: required\n`;

let stack: ControlStack;
beforeAll(async () => {
  stack = await startControlStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function events(changeId: string) {
  return (await stack.h.store.getChangeWithEvents(changeId)).events;
}

describe('a change with approval: required', () => {
  it('waits with its locks held, refuses a wrong hash (409, nothing happens), and applies once the right hash is approved', async () => {
    const run = await startChange(stack, needsApproval);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    const change = await stack.h.store.changes.require(run.changeId);
    const planHash = change.planHash!;
    expect((await stack.h.store.locks.get('fabric#dc1-aci'))?.owner).toBe(run.changeId);
    const requested = (await events(run.changeId)).find((e) => e.type === 'approval.requested');
    expect(requested?.detail).toMatchObject({ planHash, approveCommand: `changeflow approve ${run.changeId} --plan-hash ${planHash}` });
    // The timeline page says it waits, until when, and how to approve it.
    const page = await timelinePage(stack, run.changeId);
    expect(page).toContain('Waiting for approval');
    expect(page).toContain(`changeflow approve ${run.changeId} --plan-hash ${planHash}`);
    // Nothing was sent to apply while waiting.
    expect(stack.h.tasks.filter((t) => t.changeId === run.changeId).map((t) => t.step)).toEqual(['gather-facts']);

    const wrong = await post(stack, `/changes/${run.changeId}/approve`, { planHash: '0'.repeat(64), by: 'mallory' });
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({ error: { code: 'ControlRefused' } });
    const wrongCli = await cli(stack, ['approve', run.changeId, '--plan-hash', 'f'.repeat(64), '--yes', '--by', 'mallory']);
    expect(wrongCli.code).toBe(6);
    expect((await stack.h.store.changes.require(run.changeId)).status).toBe('AWAITING_APPROVAL');
    expect((await events(run.changeId)).some((e) => e.type === 'approval.granted')).toBe(false);

    const ok = await cli(stack, ['approve', run.changeId, '--plan-hash', planHash, '--yes', '--by', 'jane', '--comment', 'CAB ok']);
    expect(ok.code, ok.stderr).toBe(0);
    const end = await run.end();
    expect(end.status, end.cause).toBe('SUCCEEDED');
    const done = await stack.h.store.changes.require(run.changeId);
    expect(done.status).toBe('SUCCEEDED');
    const types = (await events(run.changeId)).map((e) => e.type);
    // The approval names the approver, and the re-check still runs after it.
    const granted = (await events(run.changeId)).find((e) => e.type === 'approval.granted');
    expect(granted).toMatchObject({ actor: 'jane', detail: { by: 'jane', planHash, comment: 'CAB ok' } });
    expect(types.indexOf('recheck.passed')).toBeGreaterThan(types.indexOf('approval.granted'));
    expect(types.indexOf('approval.requested')).toBeGreaterThan(types.indexOf('plan.created'));
    // Approving again once it has ended: refused.
    expect((await post(stack, `/changes/${run.changeId}/approve`, { planHash, by: 'jane' })).status).toBe(409);
    expect((await stack.h.store.audit.verify(run.changeId)).valid).toBe(true);
  });

  it('ends REJECTED (approval timed out) with the locks released when nobody approves in time', async () => {
    const run = await startChange(stack, `${needsApproval}approvalTimeoutMinutes: 1\n`);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    // Two 30 s slices make the minute; each ends on the manual clock, not by waiting.
    for (let slice = 0; slice < 2; slice++) {
      await armed(stack);
      stack.timers.advance(30_001);
    }
    const end = await run.end();
    expect(end.status, end.cause).toBe('SUCCEEDED');
    const change = await stack.h.store.changes.require(run.changeId);
    expect(change.status).toBe('REJECTED');
    expect(change.outcome?.reason).toMatch(/^approval timed out/);
    expect(await stack.h.store.locks.get('fabric#dc1-aci')).toBeUndefined();
    expect(await stack.h.store.locks.get('cluster#prod-a')).toBeUndefined();
    expect((await events(run.changeId)).map((e) => e.type)).toContain('approval.timed-out');
  });

  it('still re-checks after the approval: a freeze added while waiting rejects the change', async () => {
    const run = await startChange(stack, needsApproval);
    await reach(stack, run.changeId, 'AWAITING_APPROVAL');
    const freeze = await stack.h.store.freezes.add({ target: 'fabric#dc1-aci', from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString(), reason: 'incident INC42', by: 'noc' });
    try {
      const planHash = (await stack.h.store.changes.require(run.changeId)).planHash!;
      expect((await post(stack, `/changes/${run.changeId}/approve`, { planHash, by: 'jane' })).status).toBe(202);
      await run.end();
      const change = await stack.h.store.changes.require(run.changeId);
      expect(change.status).toBe('REJECTED');
      expect(change.outcome?.reason).toContain('incident INC42');
      expect(await timelinePage(stack, run.changeId)).toMatch(/<h2>Frozen<\/h2><p>recheck: .*incident INC42/);
      expect(stack.h.tasks.filter((t) => t.changeId === run.changeId).map((t) => t.step)).toEqual(['gather-facts']);
    } finally {
      await stack.h.store.freezes.remove(freeze.id, 'noc');
    }
  });
});
