import { plan } from '../shared/workflow/steps/plan.js';
import { planSigningFromEnv } from './runtime/plan-signing.js';
import { withTicketWriters } from './runtime/ticket-writers.js';
import { reducerHandler } from './runtime/workflow-handler.js';

// Only this function holds the plan-signing key (and, on AWS, may use it): the signer is built
// here from the environment, not in the deps every step shares, so no other bundle carries it.
export const handler = reducerHandler('plan', async (deps, state) => plan({ ...(await withTicketWriters(deps)), planSigning: planSigningFromEnv() }, state));
