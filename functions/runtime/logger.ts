import type { MiddlewareObj } from '@middy/core';
import { redactFields } from '../../shared/runtime/redact.js';

// One JSON line per log call, with the change id attached while a request about a change runs.
// Values under secret-looking keys are replaced before they are logged (shared/runtime/redact.ts).

export interface ChangeLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Attaches the change id to every following line until `clearChange`. */
  withChange(changeId: string | undefined): void;
  clearChange(): void;
}

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
const rank: Record<Level, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 99 };

function levelFrom(value: string | undefined): Level {
  const v = value?.toUpperCase();
  return v === 'DEBUG' || v === 'INFO' || v === 'WARN' || v === 'ERROR' || v === 'SILENT' ? v : 'INFO';
}

// JSON lines in the shape Powertools writes (level, message, timestamp, service, keys), without
// its weight in every Lambda bundle. The level is read once, like Powertools' POWERTOOLS_LOG_LEVEL.
export function createLogger(options: { serviceName?: string; logLevel?: Level; write?: (line: string) => void } = {}): ChangeLogger {
  const service = options.serviceName ?? 'changeflow';
  const threshold = rank[options.logLevel ?? levelFrom(process.env['POWERTOOLS_LOG_LEVEL'] ?? process.env['LOG_LEVEL'])];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  let keys: Record<string, unknown> = {};
  const emit = (level: Exclude<Level, 'SILENT'>, message: string, fields?: Record<string, unknown>) => {
    if (rank[level] < threshold) return;
    const extra = fields ? (redactFields(fields) as Record<string, unknown>) : {};
    write(JSON.stringify({ level, message, timestamp: new Date().toISOString(), service, ...keys, ...extra }));
  };
  return {
    debug: (message, fields) => emit('DEBUG', message, fields),
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
    withChange: (changeId) => {
      if (changeId) keys = { ...keys, changeId };
    },
    clearChange: () => {
      const { changeId: _dropped, ...rest } = keys;
      keys = rest;
    },
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
