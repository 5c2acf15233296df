import { expect } from 'vitest';
import type { CaseRun } from '../support/fault-harness.js';

// What every fault case checks once its change has ended (issue 10 item 5): the terminal status,
// no execution left RUNNING, an audit chain that verifies over every event, and no lock left
// behind — except after ROLLBACK_FAILED, where both leases stay held for a human.
export function expectEnded(run: CaseRun, status: string, locks: 'released' | 'held'): void {
  const { ended } = run;
  expect(ended.change.status).toBe(status);
  expect(ended.running).toEqual([]);
  expect(ended.chain).toMatchObject({ valid: true, events: ended.events.length });
  if (locks === 'released') expect(ended.locks).toEqual({ fabric: undefined, cluster: undefined });
  else expect(ended.locks).toMatchObject({ fabric: { owner: run.started.changeId, held: true }, cluster: { owner: run.started.changeId, held: true } });
}

/** Both lab dumps read byte for byte as before the change. */
export function expectPristine(run: CaseRun): void {
  expect(run.after.apic).toBe(run.before.apic);
  expect(run.after.kubernetes).toBe(run.before.kubernetes);
}
