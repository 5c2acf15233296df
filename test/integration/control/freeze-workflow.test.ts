import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeCalendarChain } from '../../../shared/control/freeze-store.js';
import { startLabFacts, type LabFacts } from '../../support/lab-facts.js';
import { healthyAnswer } from '../../support/scripted-answers.js';
import { startWorkflowHarness, type WorkflowHarness } from '../../support/workflow-harness.js';

// The freeze calendar as the change workflow sees it: the real ASL and handlers on the local
// engine over dynalite, a scripted agent with real lab facts. A frozen target refuses an apply
// change before anything is sent to apply; a plan-only change still plans and says so.

const poolApply = readFileSync('examples/add-pool-blue.yaml', 'utf8').replace('mode: plan-only', 'mode: apply');
const poolPlanOnly = readFileSync('examples/add-pool-blue.yaml', 'utf8');

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

async function run(specText: string) {
  const changeId = `frz-wf-${Date.now()}-${++seq}`;
  const before = h.tasks.length;
  const agent = h.runAgent((t) => healthyAnswer(labs, t));
  try {
    const arn = await h.start(changeId, { source: 'api', requestedBy: 'freeze-test', ticket: { system: 'none' }, spec: parseYaml(specText) as unknown });
    const end = await h.waitForEnd(arn, 90_000);
    const steps = h.tasks.slice(before).filter((t) => t.changeId === changeId).map((t) => t.step);
    return { changeId, end, steps, change: await h.store.changes.require(changeId), events: (await h.store.getChangeWithEvents(changeId)).events };
  } finally {
    await agent.stop();
  }
}

const hour = 3600_000;

describe('a frozen target', () => {
  it('rejects an apply change at the precheck with the freeze reason and end, touching nothing', async () => {
    const freeze = await h.store.freezes.add({
      target: 'cluster:prod-a',
      from: new Date(Date.now() - hour).toISOString(),
      to: new Date(Date.now() + hour).toISOString(),
      reason: 'year-end trading freeze',
      by: 'cab',
    });
    try {
      const r = await run(poolApply);
      expect(r.steps).toEqual(['gather-facts']);
      expect(r.change.status).toBe('REJECTED');
      expect(r.change.outcome?.reason).toContain('year-end trading freeze');
      expect(r.change.outcome?.reason).toContain(freeze.to);
      const failed = r.events.find((e) => e.type === 'precheck.failed');
      expect(JSON.stringify(failed?.detail)).toContain('change.freeze');
      // The stored results — what record-outcome tells the ticket of a rejected change — hold the freeze rule too.
      const gathered = r.events.find((e) => e.type === 'facts.gathered')?.detail as { document: Parameters<typeof h.store.documents.getDocument>[0] };
      const stored = (await h.store.documents.getDocument(gathered.document)) as { prechecks: Array<{ id: string; verdict: string }> };
      expect(stored.prechecks.filter((p) => p.id === 'change.freeze').map((p) => p.verdict)).toEqual(['fail']);
      expect(await h.store.locks.get('cluster#prod-a')).toBeUndefined();
      expect((await h.store.audit.verify(r.changeId)).valid).toBe(true);
    } finally {
      await h.store.freezes.remove(freeze.id, 'cab');
    }
  });

  it('lets a plan-only change plan and says the apply would be blocked', async () => {
    const freeze = await h.store.freezes.add({ target: '*', from: new Date(Date.now() - hour).toISOString(), to: new Date(Date.now() + hour).toISOString(), reason: 'DC move', by: 'ops' });
    try {
      const r = await run(poolPlanOnly);
      expect(r.change.status).toBe('PLANNED');
      const planned = r.events.find((e) => e.type === 'change.planned');
      expect((planned?.detail as { reason?: string } | undefined)?.reason).toMatch(/apply would be blocked: every target is frozen until .*DC move/);
      expect(r.events.some((e) => e.type === 'plan.created')).toBe(true);
    } finally {
      await h.store.freezes.remove(freeze.id, 'ops');
    }
  });

  it('ignores a freeze that has ended or is on another target', async () => {
    const ended = await h.store.freezes.add({ target: 'fabric#dc1-aci', from: new Date(Date.now() - 2 * hour).toISOString(), to: new Date(Date.now() - hour).toISOString(), reason: 'old', by: 'ops' });
    const other = await h.store.freezes.add({ target: 'cluster#prod-b', from: new Date(Date.now() - hour).toISOString(), to: new Date(Date.now() + hour).toISOString(), reason: 'other', by: 'ops' });
    try {
      const r = await run(poolApply);
      expect(r.change.status, r.change.outcome?.reason).toBe('SUCCEEDED');
      expect(r.steps).toEqual(['gather-facts', 'snapshot', 'apply-aci', 'apply-cluster', 'verify']);
    } finally {
      await h.store.freezes.remove(ended.id, 'ops');
      await h.store.freezes.remove(other.id, 'ops');
    }
    // Every add and remove is an event of the calendar's own verifying chain.
    const verdict = await h.store.audit.verify(freezeCalendarChain);
    expect(verdict.valid).toBe(true);
    expect(verdict.events).toBe(8);
  });
});
