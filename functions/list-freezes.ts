import middy from '@middy/core';
import type { Store } from '../shared/store/index.js';
import { httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { storeFromEnv } from './runtime/store.js';

// GET /freezes → {freezes: [...]}, ended ones included (the calendar's history), oldest first.
export function createListFreezesHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    parseHttpEvent(event);
    return jsonReply(200, { freezes: await deps.store().freezes.list() });
  })
    .use(httpApi(logger));
}

export const handler = createListFreezesHandler({ store: storeFromEnv });
