import type { CloseOutcome, PhaseReportInput } from '../tickets/index.js';
import { renderPhaseNote } from '../tickets/index.js';
import type { WorkflowDeps } from './deps.js';
import type { ChangeHandle } from './state.js';

// Ticket write-back never changes a change's outcome: a failure is recorded in the audit trail
// and counted for the alarm, and the step goes on.

function toTicketRef(ticket: ChangeHandle['ticket']) {
  return { system: ticket.system, key: ticket.key, number: ticket.number };
}

// A manual start only names its ticket; until the ticketing system has confirmed it, writing to
// it would let anyone who can start a change annotate (or close) somebody else's ticket.
const unconfirmedReason = 'a manual start writes to the ticket it names only after the ticketing system confirmed it (approved, inside its window) in the re-check before apply';

/** Undefined writers are a wiring fault, not "no system configured": fail rather than skip the note. */
function writersOf(deps: WorkflowDeps): NonNullable<WorkflowDeps['ticketWriters']> {
  if (!deps.ticketWriters) throw new Error('ticket write-back: the step runs without its ticket writers (functions/runtime/ticket-writers.ts)');
  return deps.ticketWriters;
}

export async function writePhaseNote(deps: WorkflowDeps, change: ChangeHandle, report: PhaseReportInput): Promise<void> {
  await writeNoteOn(deps, change.changeId, change.ticket, report);
}

/**
 * A note on `ticket`, recorded (written, skipped, failed) in the chain of `recordIn` — the change
 * itself, or a drift check noting the ticket of the change it found drifted.
 */
export async function writeNoteOn(deps: WorkflowDeps, recordIn: string, ticket: ChangeHandle['ticket'], report: PhaseReportInput, written: Record<string, string> = {}): Promise<void> {
  if (ticket.system === 'none') return;
  const writer = writersOf(deps)[ticket.system];
  if (ticket.unconfirmed) {
    const { phase } = renderPhaseNote(report);
    await deps.store.audit.appendEvent({ changeId: recordIn, type: 'ticket.note.skipped', actor: deps.actor, detail: { phase, reason: unconfirmedReason } });
    return;
  }
  if (!writer) {
    const { phase } = renderPhaseNote(report);
    await deps.store.audit.appendEvent({
      changeId: recordIn,
      type: 'ticket.note.skipped',
      actor: deps.actor,
      detail: { phase, reason: `no ${ticket.system} writer is configured` },
    });
    return;
  }
  const { phase, text } = renderPhaseNote({ ...report, auditUrl: await pageLinkFor(deps, recordIn) });
  try {
    await writer.note(toTicketRef(ticket), phase, text);
    await deps.store.audit.appendEvent({ changeId: recordIn, type: 'ticket.note.written', actor: deps.actor, detail: { phase, system: ticket.system, ...written } });
  } catch (err) {
    await recordWriteBackFailure(deps, { changeId: recordIn, ticket }, `note ${phase}`, err);
  }
}

/** A link that cannot be minted (KMS unreachable) leaves the note without one, and says so in the trail. */
async function pageLinkFor(deps: WorkflowDeps, changeId: string): Promise<string | undefined> {
  if (!deps.pageLink) return undefined;
  try {
    return await deps.pageLink(changeId);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    await deps.store.audit.appendEvent({ changeId, type: 'ticket.link.failed', actor: deps.actor, detail: { error: error.name, message: error.message } });
    return undefined;
  }
}

export async function closeTicket(deps: WorkflowDeps, change: ChangeHandle, outcome: CloseOutcome, notes: string): Promise<void> {
  if (change.ticket.system === 'none') return;
  const writer = writersOf(deps)[change.ticket.system];
  if (!writer) return;
  if (change.ticket.unconfirmed) {
    await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'ticket.close.skipped', actor: deps.actor, detail: { outcome, reason: unconfirmedReason } });
    return;
  }
  try {
    await writer.close(toTicketRef(change.ticket), outcome, notes);
    await deps.store.audit.appendEvent({ changeId: change.changeId, type: 'ticket.closed', actor: deps.actor, detail: { outcome, system: change.ticket.system } });
  } catch (err) {
    await recordWriteBackFailure(deps, change, 'close', err);
  }
}

async function recordWriteBackFailure(deps: WorkflowDeps, change: Pick<ChangeHandle, 'changeId' | 'ticket'>, what: string, err: unknown): Promise<void> {
  const error = err instanceof Error ? err : new Error(String(err));
  deps.onWriteBackFailed?.(change.changeId, error);
  await deps.store.audit.appendEvent({
    changeId: change.changeId,
    type: 'ticket.writeback.failed',
    actor: deps.actor,
    detail: { what, system: change.ticket.system, error: error.name, message: error.message },
  });
}
