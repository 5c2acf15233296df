import middy from '@middy/core';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { DiffLine } from '../shared/plan/plan-op.js';
import { renderTimelinePage } from '../shared/report/timeline-page.js';
import type { Store } from '../shared/store/index.js';
import { changeIdParameter, httpErrors, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logContext, logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';

// GET /changes/{id} → {change}; 404 when there is no such change. A browser (Accept: text/html,
// e.g. the audit link in a ticket) gets the timeline page instead.
export function createGetChangeHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const changeId = changeIdParameter(request, 'id');
    if (prefersHtml(request.headers['accept'])) return timelinePage(deps.store(), changeId);
    return jsonReply(200, { change: await deps.store().changes.require(changeId) });
  })
    .use(logContext(logger))
    .use(httpErrors(logger));
}

const PlanDetail = z.object({ diff: z.array(DiffLine) });

async function timelinePage(store: Store, changeId: string): Promise<HttpReply> {
  const { change, events } = await store.getChangeWithEvents(changeId);
  const chain = await store.audit.verify(changeId);
  // The plan.created event carries the diff; a large one is summarised, so read the full detail.
  const planEvent = events.findLast((e) => e.type === 'plan.created');
  const plan = planEvent ? PlanDetail.safeParse(await store.audit.eventDetail(planEvent)) : undefined;
  const html = renderTimelinePage({ change, events, diff: plan?.success ? plan.data.diff : undefined, chain });
  return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...timelinePageHeaders(html) }, body: html };
}

/**
 * A strict Content-Security-Policy for the timeline page: it has no scripts, images, frames or
 * forms, and its one inline <style> is allowed by its hash — so text from a ticket or an audit
 * detail that slipped past escaping still could not run or load anything.
 */
export function timelinePageHeaders(html: string): Record<string, string> {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`);
  return {
    'content-security-policy': `default-src 'none'; style-src ${styles.length > 0 ? styles.join(' ') : "'none'"}; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

/** True when the Accept header ranks text/html above application/json (JSON wins ties). */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.trim().toLowerCase().split(';').map((p) => p.trim());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    return { range, q: Number.isFinite(q) ? q : 0 };
  });
  // RFC 9110 §12.5.1: the most specific range that matches a type gives its quality.
  const quality = (type: string): number => {
    const major = `${type.split('/')[0]}/*`;
    const match = ranges.find((r) => r.range === type) ?? ranges.find((r) => r.range === major) ?? ranges.find((r) => r.range === '*/*');
    return match?.q ?? 0;
  };
  return quality('text/html') > quality('application/json');
}

export const handler = createGetChangeHandler({ store: anchoredStoreFromEnv });
