import * as z from '../../shared/zod.js';
import { DiffLine } from '../../shared/plan/plan-op.js';
import { Plan } from '../../shared/plan/plan.js';
import { renderTimelinePage, type TimelinePageInput } from '../../shared/report/timeline-page.js';
import type { Store } from '../../shared/store/index.js';
import { executionWorkflow } from './execution-path.js';
import { htmlReply } from './html-reply.js';
import type { HttpApiEvent, HttpReply } from './http.js';
import type { ChangeLogger } from './logger.js';

// A change's timeline page as the API serves it: to a signed-in browser (GET /changes/{id}) and
// through a ticket note's signed link (GET /links/changes/{id}), from the same reads.

const PlanDetail = z.object({ diff: z.array(DiffLine), totals: z.optional(Plan.shape.totals) });

/** Events the timeline card lists per page; the next page is `?cursor=` (store.audit.eventPage). */
export const timelinePageSize = 200;

export interface TimelinePaging {
  readonly cursor?: string;
  /** The page's own URL with `cursor` set (or removed, for the first page). */
  readonly href: (cursor: string | undefined) => string;
  readonly pageSize?: number;
}

/** Paging from the request: its `cursor` and its own path and other query parameters. */
export function pagingOf(request: HttpApiEvent): TimelinePaging {
  const { cursor, ...rest } = request.queryStringParameters ?? {};
  return {
    cursor: cursor === undefined || cursor === '' ? undefined : cursor,
    href: (next) => {
      const query = new URLSearchParams({ ...rest, ...(next ? { cursor: next } : {}) }).toString();
      return query ? `${request.rawPath}?${query}` : request.rawPath;
    },
  };
}

export async function timelinePage(store: Store, changeId: string, logger: ChangeLogger, link?: TimelinePageInput['link'], paging?: TimelinePaging): Promise<HttpReply> {
  const { change, events } = await store.getChangeWithEvents(changeId);
  // A trail longer than a page lists one page at a time; a short one is drawn whole, as before.
  const pageSize = paging?.pageSize ?? timelinePageSize;
  const eventPage = paging && (paging.cursor !== undefined || events.length > pageSize) ? await store.audit.eventPage(changeId, { limit: pageSize, cursor: paging.cursor }) : undefined;
  const page = eventPage && paging
    ? { events: eventPage.events, nextHref: eventPage.nextCursor ? paging.href(eventPage.nextCursor) : undefined, firstHref: paging.cursor !== undefined ? paging.href(undefined) : undefined }
    : undefined;
  const chain = await store.audit.verify(changeId);
  // The plan.created event carries the diff; a large one is summarised, so read the full detail.
  const planEvent = events.findLast((e) => e.type === 'plan.created');
  const plan = planEvent ? PlanDetail.safeParse(await store.audit.eventDetail(planEvent)) : undefined;
  const workflow = change.executionArn ? await executionWorkflow(change.executionArn, process.env, logger) : undefined;
  const html = renderTimelinePage({ change, events, page, diff: plan?.success ? plan.data.diff : undefined, planTotals: plan?.success ? plan.data.totals : undefined, chain, workflow, link, now: new Date() });
  return htmlReply(200, html);
}

