import middy from '@middy/core';
import * as z from '../shared/zod.js';
import { headerValue } from '../shared/intake/headers.js';
import { defaultMaxBodyBytes } from '../shared/intake/limits.js';
import { bindToCaller, idempotencyKeyHeader, idempotencyKeyOf, manualChangeId } from '../shared/intake/manual-start.js';
import { InvalidInput } from '../shared/errors.js';
import { parseChangeRequest } from '../shared/spec/index.js';
import type { Store } from '../shared/store/index.js';
import { httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { jsonBody } from './runtime/json-request.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { count, metricNames, metrics as defaultMetrics, type ChangeMetrics } from './runtime/metrics.js';
import { executionStarterFromEnv, startOnce, type ExecutionStarter } from './runtime/start-execution.js';
import { storeFromEnv } from './runtime/store.js';

// POST /changes (docs/architecture.md §3.2): a manual start with the ChangeRequest a person would
// paste into the Step Functions console (the spec may be YAML text here: intake reads it once).
// Same limits and replies as the webhooks; the rules are shared/intake/manual-start.ts.

export { idempotencyKeyHeader, manualChangeId };

// The caller API Gateway authenticated (IAM auth on this route): its principal ARN is who requests
// the change. The local API server fills the same field with the operator the CLI names.
const IamCaller = z.object({
  requestContext: z.object({ authorizer: z.object({ iam: z.object({ userArn: z.string().check(z.minLength(1), z.maxLength(2048)) }) }) }),
});

class Unauthorized extends Error {
  override readonly name = 'Unauthorized';
}

export interface StartChangeDeps {
  store: () => Store;
  starter: () => ExecutionStarter;
  logger?: ChangeLogger;
  metrics?: ChangeMetrics;
}

export function createStartChangeHandler(deps: StartChangeDeps) {
  const logger = deps.logger ?? defaultLogger;
  const metrics = deps.metrics ?? defaultMetrics;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const key = idempotencyKeyOf(headerValue(request.headers, idempotencyKeyHeader));
    const parsed = parseChangeRequest(request.body);
    if (!parsed.ok) {
      const first = parsed.issues[0];
      throw new InvalidInput(`expected a ChangeRequest {source, ticket, requestedBy, window?, spec}; ${parsed.issues.length} issue(s), first ${first?.path || '(body)'}: ${first?.message ?? ''}`, parsed.issues);
    }
    const caller = IamCaller.safeParse(event);
    if (!caller.success) throw new Unauthorized("POST /changes needs an IAM-authenticated caller (SigV4); the caller becomes the change's requestedBy");
    const bound = bindToCaller(parsed.request, caller.data.requestContext.authorizer.iam.userArn);
    if (bound.requestedBy !== parsed.request.requestedBy || bound.source !== parsed.request.source) {
      logger.info('manual start bound to its caller', { caller: bound.requestedBy, claimedBy: parsed.request.requestedBy, claimedSource: parsed.request.source, source: bound.source });
    }
    const changeId = manualChangeId(bound, key);
    // An ExecutionStartFailed is a 503 (httpApi): the caller retries and the retry starts it.
    const result = await startOnce({ store: deps.store(), starter: deps.starter() }, { deliveryKey: `manual:${changeId}`, executionName: changeId, request: bound, source: bound.source });
    logger.info(`manual start ${result.status}`, { changeId: result.changeId, source: bound.source, requestedBy: bound.requestedBy });
    if (result.status !== 'started') return jsonReply(200, { status: 'duplicate', changeId: result.changeId });
    count(metrics, metricNames.changeStarted, { source: bound.source });
    return jsonReply(202, { changeId: result.changeId, executionArn: result.executionArn, status: 'started' });
  })
    .use(httpApi(logger))
    .use(jsonBody(defaultMaxBodyBytes));
}

export const handler = createStartChangeHandler({ store: storeFromEnv, starter: () => executionStarterFromEnv() });
