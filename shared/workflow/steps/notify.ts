import { closeOutcomeFor } from '../../tickets/index.js';
import type { WorkflowDeps } from '../deps.js';
import { nextState, type WorkflowState } from '../state.js';
import { closeTicket } from '../ticket-notes.js';

// Closes the ticket with the outcome (plan-only changes stay open for the real change). Never
// throws: a write-back failure is recorded and alarmed, the change's outcome stands.
export async function notify(deps: WorkflowDeps, state: WorkflowState): Promise<WorkflowState> {
  const status = state.outcome?.status ?? 'FAILED';
  const outcome = closeOutcomeFor(status);
  if (outcome) {
    const notes = `changeflow ${state.change.changeId} ended ${status}: ${state.outcome?.reason ?? ''}`.slice(0, 3000);
    await closeTicket(deps, state.change, outcome, notes);
  }
  return nextState(state, {});
}
