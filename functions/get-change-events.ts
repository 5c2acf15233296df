import middy from '@middy/core';
import * as z from '../shared/zod.js';
import { InvalidInput } from '../shared/errors.js';
import { isFinalStatus, parseInput, type AuditEvent, type Store } from '../shared/store/index.js';
import { changeIdParameter, httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { storeFromEnv } from './runtime/store.js';

// GET /changes/{id}/events → {events, progress?} in seq order; large details stay summarised
// (digest + ref). `progress` is the running step's (the connectivity test: tests done of the
// total) while the change has not ended, for `submit --wait` and `watch`. With `limit` (and then
// `cursor`, as GET /changes pages) one page of events and `nextCursor` while more follow: a
// change at scale has hundreds of events (issue 20).
const EventsParams = z.strictObject({
  limit: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(1000)))),
  cursor: z.optional(z.string().check(z.minLength(1))),
});
export function createGetChangeEventsHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const changeId = changeIdParameter(request, 'id');
    const store = deps.store();
    const { limit, cursor } = parseInput(EventsParams, request.queryStringParameters ?? {}, 'query string');
    if (cursor !== undefined && limit === undefined) throw new InvalidInput('a cursor continues a page: give limit with it', [{ path: 'limit', message: 'the page size of the first page' }]);
    const change = await store.changes.require(changeId);
    const page = limit === undefined ? { events: await allEvents(store, changeId) } : await store.audit.eventPage(changeId, { limit, cursor });
    const progress = isFinalStatus(change.status, change.mode) ? undefined : await store.progress.getProgress(changeId);
    return jsonReply(200, progress ? { ...page, progress } : page);
  })
    .use(httpApi(logger));
}

async function allEvents(store: Store, changeId: string) {
  const events: AuditEvent[] = [];
  for await (const e of store.audit.iterateEvents(changeId)) events.push(e);
  return events;
}

export const handler = createGetChangeEventsHandler({ store: storeFromEnv });
