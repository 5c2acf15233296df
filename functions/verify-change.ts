import middy from '@middy/core';
import type { Store } from '../shared/store/index.js';
import { changeIdParameter, httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';

// GET /changes/{id}/verify → {changeId, valid, events, firstBadSeq?, problem?}. A broken chain is
// a finding, not a failed request: 200 with valid=false.
export function createVerifyChangeHandler(deps: { store: () => Store; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const changeId = changeIdParameter(parseHttpEvent(event), 'id');
    const store = deps.store();
    await store.changes.require(changeId);
    const verdict = await store.audit.verify(changeId);
    if (!verdict.valid) logger.warn('audit chain broken', { changeId, firstBadSeq: verdict.firstBadSeq, problem: verdict.problem });
    return jsonReply(200, verdict);
  })
    .use(httpApi(logger));
}

export const handler = createVerifyChangeHandler({ store: anchoredStoreFromEnv });
