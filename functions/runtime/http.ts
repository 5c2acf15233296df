import type { MiddlewareObj } from '@middy/core';
import * as z from 'zod';
import { InvalidInput } from '../../shared/errors.js';
import { ChangeId } from '../../shared/store/change-record.js';
import type { ChangeLogger } from './logger.js';

// API Gateway HTTP API (payload v2) in, `{statusCode, headers, body}` out, and the error shape of
// docs/architecture.md §3.2: `{error: {code, message, issues?: [{path, message}]}}`.
export const HttpApiEvent = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().optional(),
  pathParameters: z.record(z.string(), z.string()).optional(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
});
export type HttpApiEvent = z.infer<typeof HttpApiEvent>;

export interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface ErrorIssue {
  path: string;
  message: string;
}

export function jsonReply(statusCode: number, body: unknown): HttpReply {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

export function errorReply(statusCode: number, code: string, message: string, issues?: readonly ErrorIssue[]): HttpReply {
  return jsonReply(statusCode, { error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } });
}

// By error name, so handlers need not import every error class of every module.
const statusByErrorName: Readonly<Record<string, number>> = {
  InvalidInput: 400,
  Unauthorized: 401,
  SignatureInvalid: 401,
  ChangeNotFound: 404,
  NotFound: 404,
  ChangeAlreadyExists: 409,
  InvalidTransition: 409,
  ConcurrentUpdate: 409,
  TargetBusy: 409,
  ControlRefused: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
};

/** A reply for any thrown error; unknown errors become a 500 that reveals nothing internal. */
export function replyForError(err: unknown): HttpReply {
  if (err instanceof Error) {
    const status = statusByErrorName[err.name];
    if (status !== undefined) {
      const issues = err instanceof InvalidInput ? err.issues : undefined;
      return errorReply(status, err.name, err.message, issues);
    }
  }
  return errorReply(500, 'InternalError', 'the request failed on our side; it was logged — retry or tell the operators');
}

/** Middy middleware: every error ends as a §3.2 error reply, logged with its cause. */
export function httpErrors(logger: ChangeLogger): MiddlewareObj<unknown, HttpReply> {
  return {
    onError: (request) => {
      const reply = replyForError(request.error);
      const fields = { status: reply.statusCode, error: request.error?.name, reason: request.error?.message };
      if (reply.statusCode >= 500) logger.error('request failed', { ...fields, stack: request.error?.stack });
      else logger.info('request refused', fields);
      request.response = reply;
    },
  };
}

export function parseHttpEvent(event: unknown): HttpApiEvent {
  const parsed = HttpApiEvent.safeParse(event);
  if (!parsed.success) {
    throw new InvalidInput(
      'expected an API Gateway HTTP API v2 event',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/** The raw request body as text, decoding API Gateway's base64 form. */
export function bodyText(event: HttpApiEvent): string {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/**
 * The `{id}` of a /changes/{id}… route, checked before it reaches a key: an id that is not a change
 * id (a 5000-character one made DynamoDB refuse the key, a 500) is the caller's mistake, a 400.
 */
export function changeIdParameter(event: HttpApiEvent, name = 'id'): string {
  const value = pathParameter(event, name);
  const parsed = ChangeId.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidInput(`expected a change id in the path, found ${value.length > 80 ? `${value.length} characters` : `"${value}"`}: ${parsed.error.issues[0]?.message ?? ''}`, [
    { path: `pathParameters.${name}`, message: parsed.error.issues[0]?.message ?? 'not a change id' },
  ]);
}

export function pathParameter(event: HttpApiEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new InvalidInput(`expected a {${name}} in the path ${event.rawPath}`, [{ path: `pathParameters.${name}`, message: 'required' }]);
  return value;
}
