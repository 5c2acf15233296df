import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { MiddlewareObj } from '@middy/core';
import { isSecretKey } from '../../shared/runtime/redact.js';

// The Lambdas log with Powertools Logger: one JSON line per call with the function's context
// (request id, cold start, ARN), a correlation id and, while a request about a change runs, the
// change id. Values under secret-looking keys are replaced as the line is serialised
// (shared/runtime/redact.ts): webhook signatures, tokens and passwords travel in the same events
// and configs the handlers touch.

/** Powertools calls this for every key of every line it writes, nested ones included. */
function redactingReplacer(key: string, value: unknown): unknown {
  return key !== '' && value !== undefined && isSecretKey(key) ? '[redacted]' : value;
}

export type ChangeLogger = Logger;

/**
 * A logger for the Lambdas; the level comes from `logLevel`, else POWERTOOLS_LOG_LEVEL (read once,
 * at construction, as Powertools does). Tests pass `logLevel: 'SILENT'`.
 */
export function createLogger(options: { logLevel?: LogLevel; serviceName?: string } = {}): ChangeLogger {
  return new Logger({ serviceName: options.serviceName ?? 'changeflow', jsonReplacerFn: redactingReplacer, ...(options.logLevel ? { logLevel: options.logLevel } : {}) });
}

/** The container's logger. */
export const logger = createLogger();

/** The change id on every following line of this invocation (`lambdaLogging` removes it after). */
export function tagChange(log: ChangeLogger, changeId: string | undefined): void {
  if (changeId) log.appendPersistentKeys({ changeId });
}

interface CorrelatedEvent {
  pathParameters?: { id?: unknown };
  changeId?: unknown;
  requestContext?: { requestId?: unknown };
  headers?: Record<string, unknown>;
}

/**
 * Middy middlewares: Powertools' Lambda context on every line (keys appended during an
 * invocation are reset after it), a correlation id — API Gateway's request id (or a caller's
 * `x-correlation-id`) for HTTP routes — and the change id of a `/changes/{id}` route or a step's
 * `changeId` as a persistent key, removed when the invocation ends so a warm container never
 * tags the next change's lines with the last one's id.
 */
export function lambdaLogging(log: ChangeLogger): MiddlewareObj[] {
  const untag = () => log.removePersistentKeys(['changeId']);
  return [
    injectLambdaContext(log, { resetKeys: true }),
    {
      before: (request) => {
        const event = (request.event ?? {}) as CorrelatedEvent;
        const correlation = event.headers?.['x-correlation-id'] ?? event.requestContext?.requestId;
        if (typeof correlation === 'string' && correlation.length <= 128) log.setCorrelationId(correlation);
        const id = event.pathParameters?.id ?? event.changeId;
        tagChange(log, typeof id === 'string' ? id : undefined);
      },
      after: untag,
      onError: untag,
    },
  ];
}
