import middy from '@middy/core';
import { AbortRequestBody, abortChange } from '../shared/control/abort-change.js';
import type { Store } from '../shared/store/index.js';
import { changeIdParameter, httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { jsonBody, readJsonBody } from './runtime/json-request.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';
import { taskResponderFromEnv, type TaskResponder } from './runtime/task-responder.js';

// POST /changes/{id}/abort {by, reason} → 202 {changeId, status: "aborting", effect}; 409 once final.
export function createAbortChangeHandler(deps: { store: () => Store; responder: () => TaskResponder; now?: () => Date; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const changeId = changeIdParameter(request, 'id');
    const body = readJsonBody(request, AbortRequestBody, 'an abort {by, reason}');
    const effect = await abortChange(deps.store(), deps.responder(), changeId, body, (deps.now ?? (() => new Date()))(), 'api');
    return jsonReply(202, { changeId, status: 'aborting', effect });
  })
    .use(httpApi(logger))
    .use(jsonBody());
}

export const handler = createAbortChangeHandler({ store: anchoredStoreFromEnv, responder: taskResponderFromEnv });
