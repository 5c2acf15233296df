import { expect } from 'vitest';
import { ticketWriteBack } from './e2e-lab.js';
import { verifyChain, type E2eStack, type Finished, type Submitted } from './e2e-stack.js';

// The end of every successful e2e change, checked the same way for each change type: SUCCEEDED,
// a note in the ticket for every phase, the ticket closed as successful, the audit chain intact.

/** First line of each phase note changeflow writes (shared/tickets/phase-notes.ts). */
export const successNotes = [/^\[changeflow\] Change accepted/, /^\[changeflow\] Precheck passed/, /^\[changeflow\] Plan [0-9a-f]{12} ready/, /^\[changeflow\] Applied:/, /^\[changeflow\] Verified: all \d+ checks passed/] as const;

export async function expectSucceededAndRecorded(e2e: E2eStack, run: Submitted & Finished): Promise<void> {
  expect(run.change.status, run.change.outcome?.reason ?? `events: ${run.events.map((e) => e.type).join(', ')}`).toBe('SUCCEEDED');
  expect(run.change.ticket).toMatchObject({ system: run.system });

  const written = await ticketWriteBack(e2e, run);
  for (const note of successNotes) expect(written.notes.some((n) => note.test(n)), `a ${run.system} note matching ${note} in:\n${written.notes.join('\n---\n')}`).toBe(true);
  expect(written.notes.join('\n')).toContain(`/changes/${run.changeId}`);
  expect(written.closure).toBe(run.system === 'servicenow' ? '3/successful' : 'Done');

  // The table's chain verifies and equals the newest head anchored outside the table.
  const verdict = await verifyChain(e2e, run.changeId);
  expect(verdict, JSON.stringify(verdict)).toMatchObject({ changeId: run.changeId, valid: true, events: run.events.length, anchor: { state: 'matched', head: { seq: run.events.length } } });
}
