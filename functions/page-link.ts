import middy from '@middy/core';
import { renderLinkRefusedPage } from '../shared/report/link-refused-page.js';
import { renderNotFoundPage } from '../shared/report/not-found-page.js';
import { checkPageLink, type PageLinkMac } from '../shared/signing/page-link.js';
import type { Store } from '../shared/store/index.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';
import { pagingOf, timelinePage } from './runtime/change-page.js';
import { htmlReply } from './runtime/html-reply.js';
import { changeIdParameter, httpApi, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { pageLinkMacFromEnv } from './runtime/page-link-mac.js';

// GET /links/changes/{id}?expires=&signature= — the one route anyone may call without IAM, for
// the link in a ticket note (shared/signing/page-link.ts). It answers the timeline page of the
// change the link was minted for while the link lasts, and nothing else: no JSON, no other
// change, no write. Altered or foreign → 403, expired → 410, both as pages that say what to do.
// The role behind it may read the table and VerifyMac, never GenerateMac (cdk/page-link-key.ts).
export function createPageLinkHandler(deps: { store: () => Store; mac: () => PageLinkMac | undefined; now?: () => Date; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const changeId = changeIdParameter(request, 'id');
    const mac = deps.mac();
    const query = request.queryStringParameters ?? {};
    const check = mac
      ? await checkPageLink({ changeId, expires: query['expires'], signature: query['signature'], now: deps.now?.() ?? new Date(), mac })
      : ({ ok: false, reason: 'invalid', message: 'this stack has no page-link key, so no link opens a page' } as const);
    if (!check.ok) {
      logger.info('page link refused', { changeId, reason: check.reason });
      return htmlReply(check.reason === 'expired' ? 410 : 403, renderLinkRefusedPage({ changeId, reason: check.reason, message: check.message }));
    }
    const store = deps.store();
    // A valid link to a change that is gone (another stack's table) says so, like the IAM route.
    if (!(await store.changes.get(changeId))) return htmlReply(404, renderNotFoundPage(changeId));
    return timelinePage(store, changeId, logger, { expiresAt: check.expiresAt.toISOString() }, pagingOf(request));
  })
    .use(httpApi(logger));
}

export const handler = createPageLinkHandler({ store: anchoredStoreFromEnv, mac: () => pageLinkMacFromEnv() });
