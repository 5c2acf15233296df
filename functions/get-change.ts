import middy from '@middy/core';
import type { Store } from '../shared/store/index.js';
import { changeIdParameter, httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { pageNegotiation, wantsPage } from './runtime/page-negotiation.js';
import { htmlReply } from './runtime/html-reply.js';
import { pagingOf, timelinePage } from './runtime/change-page.js';
import { renderNotFoundPage } from '../shared/report/not-found-page.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';

// GET /changes/{id} → {change}; 404 when there is no such change. A browser (Accept: text/html,
// e.g. the audit link in a ticket) gets the timeline page instead, and for an unknown change a
// page that says so and links the index, not a JSON error.
export function createGetChangeHandler(deps: { store: () => Store; logger?: ChangeLogger; timelinePageSize?: number }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown, context: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const changeId = changeIdParameter(request, 'id');
    if (wantsPage(context)) {
      const store = deps.store();
      if (!(await store.changes.get(changeId))) return htmlReply(404, renderNotFoundPage(changeId));
      return timelinePage(store, changeId, logger, undefined, { ...pagingOf(request), pageSize: deps.timelinePageSize });
    }
    return jsonReply(200, { change: await deps.store().changes.require(changeId) });
  })
    .use(httpApi(logger, { negotiate: pageNegotiation() }));
}

export { timelinePageHeaders } from './runtime/html-reply.js';

export const handler = createGetChangeHandler({ store: anchoredStoreFromEnv });
