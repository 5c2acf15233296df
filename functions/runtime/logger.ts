import { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';

// One JSON line per log call, with the change id attached while a request about a change runs.
// Values under secret-looking keys are replaced before they are logged: webhook signatures,
// tokens and passwords travel in the same events and configs the handlers touch.
const secretKey = /secret|password|passwd|token|authorization|signature|cookie|api[-_]?key|credential/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, secretKey.test(k) ? '[redacted]' : redact(v, depth + 1)]),
    );
  }
  return value;
}

export interface ChangeLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Attaches the change id to every following line until `clearChange`. */
  withChange(changeId: string | undefined): void;
  clearChange(): void;
}

export function createLogger(options: { serviceName?: string; logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' } = {}): ChangeLogger {
  const logger = new Logger({ serviceName: options.serviceName ?? 'changeflow', logLevel: options.logLevel });
  const line = (fields?: Record<string, unknown>) => (fields ? [redact(fields) as Record<string, unknown>] : []);
  return {
    debug: (message, fields) => logger.debug(message, ...line(fields)),
    info: (message, fields) => logger.info(message, ...line(fields)),
    warn: (message, fields) => logger.warn(message, ...line(fields)),
    error: (message, fields) => logger.error(message, ...line(fields)),
    withChange: (changeId) => {
      if (changeId) logger.appendKeys({ changeId });
    },
    clearChange: () => logger.removeKeys(['changeId']),
  };
}

/** Middy middleware: tags log lines with the change id of the request (path `{id}` or `changeId`). */
export function logContext(logger: ChangeLogger): MiddlewareObj {
  return {
    before: (request) => {
      const event = request.event as { pathParameters?: { id?: unknown }; changeId?: unknown } | null;
      const id = event?.pathParameters?.id ?? event?.changeId;
      logger.withChange(typeof id === 'string' ? id : undefined);
    },
    after: () => logger.clearChange(),
    onError: () => logger.clearChange(),
  };
}

/** The container's logger; level from POWERTOOLS_LOG_LEVEL (Powertools reads it). */
export const logger = createLogger();
