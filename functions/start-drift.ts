import middy, { type MiddlewareObj } from '@middy/core';
import * as z from '../shared/zod.js';
import { startDriftRuns, type DriftStarter } from '../shared/drift/index.js';
import type { Store } from '../shared/store/index.js';
import { httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { jsonBody, readJsonBody } from './runtime/json-request.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { executionStarterFromEnv, type ExecutionStarter } from './runtime/start-execution.js';
import { storeFromEnv } from './runtime/store.js';

// POST /drift {target?, by?} → 202 {runs: [{changeId, executionArn, targets, inForce}], inForce: N}: one
// plan-only drift check per fabric/cluster/L3Out with SUCCEEDED changes in force (shared/drift/).
// The EventBridge schedule invokes the same function with its Scheduled Event: every target.

const DriftAsk = z.strictObject({
  target: z.optional(z.string().check(z.minLength(1))),
  by: z._default(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), 'changeflow-drift'),
});

const ScheduledEvent = z.looseObject({ source: z.literal('aws.events'), 'detail-type': z.literal('Scheduled Event'), time: z.string() });

export interface StartDriftDeps {
  store: () => Store;
  starter: () => ExecutionStarter;
  now?: () => Date;
  logger?: ChangeLogger;
}

/** The body limits and parser are for POST /drift: the schedule's event has no body to check. */
function unlessScheduled(middleware: MiddlewareObj): MiddlewareObj {
  const before = middleware.before;
  return before ? { before: (request) => (ScheduledEvent.safeParse(request.event).success ? undefined : before(request)) } : middleware;
}

function driftStarter(starter: ExecutionStarter): DriftStarter {
  return { start: async (name, input) => ({ executionArn: (await starter.start(name, input)).executionArn }) };
}

export function createStartDriftHandler(deps: StartDriftDeps) {
  const logger = deps.logger ?? defaultLogger;
  const now = deps.now ?? (() => new Date());
  return middy(async (event: unknown): Promise<HttpReply> => {
    if (ScheduledEvent.safeParse(event).success) {
      const started = await startDriftRuns(deps.store(), driftStarter(deps.starter()), { by: 'changeflow-drift (schedule)', now: now() });
      logger.info('scheduled drift checks started', { runs: started.runs.map((r) => r.changeId), inForce: started.inForce });
      return jsonReply(202, started);
    }
    const ask = readJsonBody(parseHttpEvent(event), DriftAsk, 'a drift check {target?, by?}');
    return jsonReply(202, await startDriftRuns(deps.store(), driftStarter(deps.starter()), { ...ask, now: now() }));
  })
    .use(httpApi(logger))
    .use(jsonBody().map(unlessScheduled));
}

export const handler = createStartDriftHandler({ store: storeFromEnv, starter: () => executionStarterFromEnv() });
