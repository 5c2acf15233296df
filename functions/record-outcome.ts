import { recordOutcome } from '../shared/workflow/steps/record-outcome.js';
import { count, metricNames, metrics } from './runtime/metrics.js';
import { withTicketWriters } from './runtime/ticket-writers.js';
import { reducerHandler } from './runtime/workflow-handler.js';

// Every change ends here: the ChangesFinished metric counts them by final status.
export const handler = reducerHandler('record-outcome', async (deps, state) => {
  const next = await recordOutcome(await withTicketWriters(deps), state);
  if (next.outcome) count(metrics, metricNames.changeFinished, { status: next.outcome.status });
  return next;
});
