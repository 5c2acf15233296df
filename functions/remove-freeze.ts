import middy from '@middy/core';
import * as z from '../shared/zod.js';
import { FreezeId } from '../shared/control/freeze.js';
import { parseInput, type Store } from '../shared/store/index.js';
import { httpApi, parseHttpEvent, pathParameter, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';

// DELETE /freezes/{id}?by=NAME → 204; 404 for an unknown id. Recorded as freeze.removed naming who
// lifted it (a DELETE has no body, so `by` rides in the query; on AWS the IAM caller when absent).
const RemoveParams = z.strictObject({ by: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))) });
const IamCaller = z.object({ requestContext: z.object({ authorizer: z.object({ iam: z.object({ userArn: z.string() }) }) }) });

export function createRemoveFreezeHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const id = parseInput(FreezeId, pathParameter(request, 'id'), 'freeze id');
    const { by } = parseInput(RemoveParams, request.queryStringParameters ?? {}, 'query string');
    const caller = IamCaller.safeParse(event);
    await deps.store().freezes.remove(id, by ?? (caller.success ? caller.data.requestContext.authorizer.iam.userArn : 'api'));
    return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
  })
    .use(httpApi(logger));
}

export const handler = createRemoveFreezeHandler({ store: anchoredStoreFromEnv });
