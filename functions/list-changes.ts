import middy from '@middy/core';
import * as z from '../shared/zod.js';
import { InvalidInput } from '../shared/errors.js';
import { renderChangeIndex, type IndexFilters } from '../shared/report/index-page.js';
import { ChangeQuery, parseInput, type Store } from '../shared/store/index.js';
import { httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { pageNegotiation, wantsPage } from './runtime/page-negotiation.js';
import { htmlReply } from './runtime/html-reply.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { storeFromEnv } from './runtime/store.js';

// GET /changes?ticket=&target=&status=&since=&until=&limit=&cursor= → {changes, nextCursor?}.
// A browser (Accept: text/html), and anyone opening `/`, gets the index page of the same list
// with its filters as a form.
const ListChangesParams = z.extend(ChangeQuery, {
  limit: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(1000)))),
  cursor: z.optional(z.string().check(z.minLength(1))),
});

export function createListChangesHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown, context: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    if (request.rawPath === '/' || wantsPage(context)) return indexPage(deps.store(), request.queryStringParameters ?? {});
    const { limit, cursor, ...query } = parseInput(ListChangesParams, request.queryStringParameters ?? {}, 'query string');
    return jsonReply(200, await deps.store().changes.list(query, { limit, cursor }));
  })
    .use(httpApi(logger, { negotiate: pageNegotiation() }));
}

/** A form sends every field, empty ones too, and times as typed: drop the empty, complete the time. */
function formFilters(params: Record<string, string>): Record<string, string> {
  const time = (v: string) => (/^\d{4}-\d\d-\d\d$/.test(v) ? `${v}T00:00:00Z` : /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(v) ? `${v.length === 16 ? `${v}:00` : v}Z` : v);
  const out: Record<string, string> = {};
  for (const [k, raw] of Object.entries(params)) {
    const v = raw.trim();
    if (v) out[k] = k === 'since' || k === 'until' ? time(v) : v;
  }
  return out;
}

async function indexPage(store: Store, params: Record<string, string>): Promise<HttpReply> {
  const given = formFilters(params);
  const filters: IndexFilters = { status: given['status'], ticket: given['ticket'], target: given['target'], since: given['since'], until: given['until'] };
  try {
    const { limit, cursor, ...query } = parseInput(ListChangesParams, { limit: '100', ...given }, 'filters');
    const page = await store.changes.list(query, { limit, cursor });
    return htmlReply(200, renderChangeIndex({ changes: page.changes, filters, nextCursor: page.nextCursor }), { forms: true });
  } catch (err) {
    if (!(err instanceof InvalidInput)) throw err;
    const problem = `${err.message}${err.issues.length ? `: ${err.issues.map((i) => `${i.path} ${i.message}`).join('; ')}` : ''}`;
    return htmlReply(400, renderChangeIndex({ changes: [], filters, problem }), { forms: true });
  }
}

export const handler = createListChangesHandler({ store: storeFromEnv });
