import middy from '@middy/core';
import * as z from 'zod';
import { ChangeQuery, parseInput, type Store } from '../shared/store/index.js';
import { httpErrors, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logContext, logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { storeFromEnv } from './runtime/store.js';

// GET /changes?ticket=&target=&status=&since=&until=&limit=&cursor= → {changes, nextCursor?}
const ListChangesParams = ChangeQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).optional(),
});

export function createListChangesHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const { limit, cursor, ...query } = parseInput(ListChangesParams, request.queryStringParameters ?? {}, 'query string');
    return jsonReply(200, await deps.store().changes.list(query, { limit, cursor }));
  })
    .use(logContext(logger))
    .use(httpErrors(logger));
}

export const handler = createListChangesHandler({ store: storeFromEnv });
