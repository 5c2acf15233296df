import middy from '@middy/core';
import type { Store } from '../shared/store/index.js';
import { changeIdParameter, httpErrors, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { lambdaLogging, logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { storeFromEnv } from './runtime/store.js';

// GET /changes/{id}/events → {events} in seq order; large details stay summarised (digest + ref).
export function createGetChangeEventsHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const changeId = changeIdParameter(parseHttpEvent(event), 'id');
    const { events } = await deps.store().getChangeWithEvents(changeId);
    return jsonReply(200, { events });
  })
    .use(lambdaLogging(logger))
    .use(httpErrors(logger));
}

export const handler = createGetChangeEventsHandler({ store: storeFromEnv });
