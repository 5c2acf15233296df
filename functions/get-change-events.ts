import middy from '@middy/core';
import { isFinalStatus, type Store } from '../shared/store/index.js';
import { changeIdParameter, httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { storeFromEnv } from './runtime/store.js';

// GET /changes/{id}/events → {events, progress?} in seq order; large details stay summarised
// (digest + ref). `progress` is the running step's (the connectivity test: tests done of the
// total) while the change has not ended, for `submit --wait` and `watch`.
export function createGetChangeEventsHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const changeId = changeIdParameter(parseHttpEvent(event), 'id');
    const store = deps.store();
    const { change, events } = await store.getChangeWithEvents(changeId);
    const progress = isFinalStatus(change.status, change.mode) ? undefined : await store.progress.getProgress(changeId);
    return jsonReply(200, progress ? { events, progress } : { events });
  })
    .use(httpApi(logger));
}

export const handler = createGetChangeEventsHandler({ store: storeFromEnv });
