import * as z from '../zod.js';
import type { TicketRef } from '../spec/change-request.js';

// How a change's progress returns to the people who approved it: one note per phase, then a
// close. Implementations (ServiceNow, Jira) talk HTTP through an injected fetch; callers treat a
// TicketWriteFailed as "record and alarm", never as a reason to fail or roll back the change.

export const TicketPhase = z.enum(['accepted', 'precheck', 'plan', 'approval', 'applied', 'verified', 'observing', 'aborted', 'rolledBack', 'failed', 'drift']);
export type TicketPhase = z.infer<typeof TicketPhase>;

/** ServiceNow close_code choice values; Jira maps them onto the done/failed transitions. */
export const CloseOutcome = z.enum(['successful', 'successful_issues', 'unsuccessful']);
export type CloseOutcome = z.infer<typeof CloseOutcome>;

export interface TicketWriter {
  /** Adds a work note (ServiceNow) or comment (Jira) for one phase. */
  note(ticket: TicketRef, phase: TicketPhase, text: string): Promise<void>;
  /** Closes the ticket with the outcome; safe to repeat after a partial close. */
  close(ticket: TicketRef, outcome: CloseOutcome, notes: string): Promise<void>;
}

/** Final change statuses (docs/architecture.md §2) → how the ticket closes; plan-only changes stay open. */
export function closeOutcomeFor(status: string): CloseOutcome | undefined {
  if (status === 'SUCCEEDED') return 'successful';
  if (status === 'PLANNED') return undefined;
  if (['REJECTED', 'FAILED', 'ROLLED_BACK', 'ROLLBACK_FAILED'].includes(status)) return 'unsuccessful';
  return undefined;
}
