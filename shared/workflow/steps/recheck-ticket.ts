import { throwIfAborted } from '../../control/abort.js';
import { TargetFrozen } from '../../control/errors.js';
import { describeFreeze } from '../../control/freeze.js';
import { freezeInForce } from '../../control/freeze-gate.js';
import { PlanChanged, TicketNotApproved, WindowClosed } from '../../errors.js';
import type { WorkflowDeps } from '../deps.js';
import { loadRequest } from '../documents.js';
import { nextState, type WorkflowState } from '../state.js';
import { cameThroughWebhook } from '../ticket-trust.js';

// Just before anything is touched (docs/architecture.md §2 step 6): the ticket is still approved, we are
// inside its window, and the plan about to run is the plan that was recorded and shown.
export async function recheckTicket(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const { change } = state;
  const request = await loadRequest(deps, state);
  const now = deps.now();
  const record = async (type: string, detail: Record<string, unknown>) =>
    deps.store.audit.appendEvent({ changeId: change.changeId, type, actor: deps.actor, detail });
  await throwIfAborted(deps.store, change.changeId);

  if (request.window) {
    const start = Date.parse(request.window.start);
    const end = Date.parse(request.window.end);
    if (now.getTime() < start || now.getTime() > end) {
      const detail = `now ${now.toISOString()} is outside the change window ${request.window.start} – ${request.window.end}`;
      await record('recheck.failed', { rule: 'window', detail });
      throw new WindowClosed(`${detail}; reschedule the ticket or widen its window`);
    }
  }
  // A freeze added while the change waited (for its window, a lock, an approval) still stops it.
  const freeze = await freezeInForce(deps.store, change, now);
  if (freeze) {
    const detail = describeFreeze(freeze);
    await record('recheck.failed', { rule: 'freeze', detail, freeze });
    throw new TargetFrozen(`${detail}; apply after ${freeze.to} or lift the freeze`);
  }
  if (change.ticket.system !== 'none') {
    // A manual start (console, API, CLI) only names a ticket: it must exist, be approved and be
    // inside the window the ticketing system holds, or the change ends REJECTED with nothing applied.
    const manual = !cameThroughWebhook(request.source);
    const ticketLabel = change.ticket.number ?? change.ticket.key;
    // Undefined readers are a wiring fault, not "no system configured": fail rather than skip.
    if (!deps.ticketReaders) throw new Error('recheck-ticket: the step runs without its ticket readers (functions/runtime/ticket-readers.ts)');
    const reader = deps.ticketReaders[change.ticket.system];
    if (!reader && manual) {
      const detail = `${ticketLabel} cannot be verified: no ${change.ticket.system} connection is configured`;
      await record('recheck.failed', { rule: 'ticket', detail });
      throw new TicketNotApproved(`${detail}; a manual start that names a ticket runs only once the ticketing system confirms it`);
    }
    if (reader) {
      const answer = await reader.stillApproved({ system: change.ticket.system, key: change.ticket.key, number: change.ticket.number });
      if (!answer.approved) {
        await record('recheck.failed', { rule: 'approval', detail: answer.detail });
        throw new TicketNotApproved(`${ticketLabel} is ${manual ? 'not' : 'no longer'} approved: ${answer.detail}`);
      }
      const window = answer.window;
      if (manual && window && (now.getTime() < Date.parse(window.start) || now.getTime() > Date.parse(window.end))) {
        const detail = `now ${now.toISOString()} is outside ${ticketLabel}'s window ${window.start} – ${window.end} (as the ticketing system holds it)`;
        await record('recheck.failed', { rule: 'window', detail });
        throw new WindowClosed(`${detail}; reschedule the ticket or start the change inside its window`);
      }
    }
  }
  const stored = await deps.store.changes.require(change.changeId);
  if (!state.plan || stored.planHash !== state.plan.planHash) {
    const detail = `recorded plan ${stored.planHash ?? 'none'} differs from the plan about to run ${state.plan?.planHash ?? 'none'}`;
    await record('recheck.failed', { rule: 'plan-hash', detail });
    throw new PlanChanged(`${detail}; plan again`);
  }
  await record('recheck.passed', { window: request.window ?? null, planHash: stored.planHash, ticket: change.ticket });
  // The ticketing system has now confirmed the ticket a manual start named: write-back may begin.
  const { unconfirmed: _confirmedNow, ...ticket } = change.ticket;
  return nextState(state, { change: { ...change, ticket } });
}
