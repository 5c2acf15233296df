import middy from '@middy/core';
import type { Store } from '../shared/store/index.js';
import { httpErrors, jsonReply, parseHttpEvent, pathParameter, type HttpReply } from './runtime/http.js';
import { logContext, logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { storeFromEnv } from './runtime/store.js';

// GET /changes/{id} → {change}; 404 when there is no such change.
export function createGetChangeHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const changeId = pathParameter(parseHttpEvent(event), 'id');
    return jsonReply(200, { change: await deps.store().changes.require(changeId) });
  })
    .use(logContext(logger))
    .use(httpErrors(logger));
}

export const handler = createGetChangeHandler({ store: storeFromEnv });
