import middy from '@middy/core';
import { ApproveRequest, approveChange } from '../shared/control/approve.js';
import type { Store } from '../shared/store/index.js';
import { changeIdParameter, httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { jsonBody, readJsonBody } from './runtime/json-request.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';
import { taskResponderFromEnv, type TaskResponder } from './runtime/task-responder.js';

// POST /changes/{id}/approve {planHash, by, comment?} → 202 {changeId, status: "approved", planHash};
// 409 when the hash is not the waiting plan's, the change is not waiting, or it has ended.
export function createApproveChangeHandler(deps: { store: () => Store; responder: () => TaskResponder; now?: () => Date; logger?: ChangeLogger }) {
  const logger = deps.logger ?? defaultLogger;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const changeId = changeIdParameter(request, 'id');
    const body = readJsonBody(request, ApproveRequest, 'an approval {planHash, by, comment?}');
    const grant = await approveChange(deps.store(), deps.responder(), changeId, body, (deps.now ?? (() => new Date()))(), 'api');
    return jsonReply(202, { changeId, status: 'approved', planHash: grant.planHash, by: grant.by });
  })
    .use(httpApi(logger))
    .use(jsonBody());
}

export const handler = createApproveChangeHandler({ store: anchoredStoreFromEnv, responder: taskResponderFromEnv });
