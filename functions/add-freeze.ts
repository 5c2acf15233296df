import middy from '@middy/core';
import { NewFreeze } from '../shared/control/freeze.js';
import type { Store } from '../shared/store/index.js';
import { httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { jsonBody, readJsonBody } from './runtime/json-request.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';

// POST /freezes {target, from, to, reason, by} → 201 {freeze}; recorded as freeze.added.
export function createAddFreezeHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const fields = readJsonBody(parseHttpEvent(event), NewFreeze, 'a freeze {target, from, to, reason, by}');
    return jsonReply(201, { freeze: await deps.store().freezes.add(fields) });
  })
    .use(httpApi(logger))
    .use(jsonBody());
}

export const handler = createAddFreezeHandler({ store: anchoredStoreFromEnv });
