import middy from '@middy/core';
import * as z from 'zod';
import { canonicalJson, sha256Hex } from '../shared/canonical-json.js';
import { headerValue } from '../shared/intake/headers.js';
import { parseJsonBody } from '../shared/intake/json-body.js';
import { checkBodySize, checkContentType, defaultMaxBodyBytes } from '../shared/intake/limits.js';
import { parseChangeRequest, type ChangeRequest } from '../shared/spec/index.js';
import type { Store } from '../shared/store/index.js';
import { bodyText, errorReply, httpErrors, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { lambdaLogging, logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { count, metricNames, metrics as defaultMetrics, type ChangeMetrics } from './runtime/metrics.js';
import { ExecutionStartFailed, executionStarterFromEnv, startOnce, type ExecutionStarter } from './runtime/start-execution.js';
import { storeFromEnv } from './runtime/store.js';

// POST /changes (docs/architecture.md §3.2): a manual start with the ChangeRequest a person would paste into
// the Step Functions console. Same limits and replies as the webhooks; the workflow's first step
// validates the request again.

export const idempotencyKeyHeader = 'Idempotency-Key';

// The caller API Gateway authenticated (IAM auth on this route): its principal ARN is who requests
// the change, whatever the body says. The local API server fills the same field with the operator
// the CLI names (local/api/http-event.ts).
const IamCaller = z.object({
  requestContext: z.object({ authorizer: z.object({ iam: z.object({ userArn: z.string().min(1).max(2048) }) }) }),
});

/** Sources a POST /changes may record: it never comes through a ticketing webhook. */
const manualSources = new Set(['console', 'api', 'cli']);
const idempotencyKey = /^[A-Za-z0-9_-]{1,64}$/;

export interface StartChangeDeps {
  store: () => Store;
  starter: () => ExecutionStarter;
  logger?: ChangeLogger;
  metrics?: ChangeMetrics;
}

/**
 * The change id: `<source>-<Idempotency-Key>` when given, else `<source>-<hash of the request>`, so
 * an accidental second submit of the same document is the same change. To run an identical request
 * again on purpose, send a new Idempotency-Key.
 */
export function manualChangeId(request: ChangeRequest, key: string | undefined): string {
  return `${request.source}-${key ?? sha256Hex(canonicalJson(request)).slice(0, 16)}`;
}

export function createStartChangeHandler(deps: StartChangeDeps) {
  const logger = deps.logger ?? defaultLogger;
  const metrics = deps.metrics ?? defaultMetrics;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const text = bodyText(request);
    const limit = checkContentType(request.headers) ?? checkBodySize(text, defaultMaxBodyBytes);
    if (limit) return errorReply(limit.httpStatus, limit.code, limit.message);
    const key = headerValue(request.headers, idempotencyKeyHeader)?.trim();
    if (key !== undefined && !idempotencyKey.test(key)) {
      return errorReply(400, 'InvalidInput', `expected ${idempotencyKeyHeader} of 1–64 characters from A–Z a–z 0–9 _ -, found "${key.slice(0, 80)}"`, [
        { path: `headers.${idempotencyKeyHeader}`, message: 'A–Z a–z 0–9 _ -, 1–64 characters' },
      ]);
    }
    const body = parseJsonBody(text);
    if (!body.ok) return errorReply(400, 'InvalidJson', body.message);
    const parsed = parseChangeRequest(body.value);
    if (!parsed.ok) {
      const first = parsed.issues[0];
      return errorReply(400, 'InvalidInput', `expected a ChangeRequest {source, ticket, requestedBy, window?, spec}; ${parsed.issues.length} issue(s), first ${first?.path || '(body)'}: ${first?.message ?? ''}`, parsed.issues);
    }
    const caller = IamCaller.safeParse(event);
    if (!caller.success) {
      return errorReply(401, 'Unauthorized', 'POST /changes needs an IAM-authenticated caller (SigV4); the caller becomes the change\'s requestedBy');
    }
    // Bound to the caller, and never a webhook source: a manual start cannot pose as a ticket's
    // delivery; a ticket it names is verified against the ticketing system before anything is applied.
    const claimed = parsed.request;
    const bound = {
      ...claimed,
      requestedBy: caller.data.requestContext.authorizer.iam.userArn,
      source: manualSources.has(claimed.source) ? claimed.source : 'api',
    } satisfies ChangeRequest;
    if (bound.requestedBy !== claimed.requestedBy || bound.source !== claimed.source) {
      logger.info('manual start bound to its caller', { caller: bound.requestedBy, claimedBy: claimed.requestedBy, claimedSource: claimed.source, source: bound.source });
    }
    const changeId = manualChangeId(bound, key);
    try {
      const result = await startOnce(
        { store: deps.store(), starter: deps.starter() },
        { deliveryKey: `manual:${changeId}`, executionName: changeId, request: bound, source: bound.source },
      );
      logger.info(`manual start ${result.status}`, { changeId: result.changeId, source: bound.source, requestedBy: bound.requestedBy });
      if (result.status === 'started') count(metrics, metricNames.changeStarted, { source: bound.source });
      return result.status === 'started'
        ? jsonReply(202, { changeId: result.changeId, executionArn: result.executionArn, status: 'started' })
        : jsonReply(200, { status: 'duplicate', changeId: result.changeId });
    } catch (err) {
      if (!(err instanceof ExecutionStartFailed)) throw err;
      logger.error('execution start failed', { changeId, error: err.message });
      return errorReply(503, err.name, err.message);
    }
  })
    .use(lambdaLogging(logger))
    .use(httpErrors(logger));
}

export const handler = createStartChangeHandler({ store: storeFromEnv, starter: () => executionStarterFromEnv() });
