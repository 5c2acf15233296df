import type { MiddlewareObj } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import * as z from '../../shared/zod.js';
import { InvalidInput } from '../../shared/errors.js';
import { ChangeId } from '../../shared/store/change-record.js';
import { lambdaLogging, type ChangeLogger } from './logger.js';

// API Gateway HTTP API (payload v2) in, `{statusCode, headers, body}` out, and the error shape of
// docs/architecture.md §3.2: `{error: {code, message, issues?: [{path, message}]}}`.
export const HttpApiEvent = z.object({
  rawPath: z.string(),
  rawQueryString: z.optional(z.string()),
  pathParameters: z.optional(z.record(z.string(), z.string())),
  queryStringParameters: z.optional(z.record(z.string(), z.string())),
  headers: z._default(z.record(z.string(), z.string()), {}),
  /** Text as API Gateway sends it; the value itself once @middy/http-json-body-parser ran (json-request.ts). */
  body: z.optional(z.unknown()),
  isBase64Encoded: z._default(z.boolean(), false),
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
  InvalidJson: 400,
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
  // 5xx on purpose: the caller (a ticketing system) retries, and the retry starts the change.
  ExecutionStartFailed: 503,
};

const internalError = { code: 'InternalError', message: 'the request failed on our side; it was logged — retry or tell the operators' };

/** What @middy/http-error-handler turns into the reply: the status, and the §3.2 body as its message. */
interface ExposedError {
  statusCode: number;
  expose: true;
  message: string;
  headers: Record<string, string>;
}

function exposed(statusCode: number, code: string, message: string, issues?: readonly ErrorIssue[]): ExposedError {
  return { statusCode, expose: true, message: JSON.stringify({ error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } }), headers: { 'cache-control': 'no-store' } };
}

const JsonParserError = z.object({ cause: z.object({ package: z.literal('@middy/http-json-body-parser'), message: z.optional(z.string()) }) });

/** The §3.2 reply for a thrown error; unknown errors become a 500 that reveals nothing internal. */
function exposeError(err: unknown): ExposedError | undefined {
  if (!(err instanceof Error)) return undefined;
  // @middy/http-json-body-parser answers malformed JSON with a 415; the API has always said 400.
  const parser = JsonParserError.safeParse(err);
  if (parser.success) return exposed(400, 'InvalidJson', `expected a JSON body: ${parser.data.cause.message ?? err.message}`);
  const status = statusByErrorName[err.name];
  if (status === undefined) return undefined;
  return exposed(status, err.name, err.message, err instanceof InvalidInput ? err.issues : undefined);
}

/** A reply for any thrown error, outside middy (the local server's own refusals, tests). */
export function replyForError(err: unknown): HttpReply {
  const e = exposeError(err);
  return e ? { statusCode: e.statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...e.headers }, body: e.message } : errorReply(500, internalError.code, internalError.message);
}

/**
 * The middy middlewares of every HTTP route: Powertools logging, header names lower-cased
 * (@middy/http-header-normalizer), and every error ending as a §3.2 error reply through
 * @middy/http-error-handler — a known error by its name, anything else a 500 saying nothing
 * internal (logged with its stack). `negotiate` takes pageNegotiation() (page-negotiation.ts) on
 * the routes that also serve a page; it is passed in rather than imported here so the JSON-only
 * handlers' bundles do not carry @middy/http-content-negotiation and negotiator.
 */
export function httpApi(logger: ChangeLogger, options: { negotiate?: MiddlewareObj } = {}): MiddlewareObj[] {
  const toReply: MiddlewareObj = {
    onError: (request) => {
      const known = exposeError(request.error);
      if (known) {
        logger.info('request refused', { status: known.statusCode, error: request.error?.name, reason: request.error?.message });
        request.error = Object.assign(request.error ?? new Error(known.message), known);
      } else {
        logger.error('request failed', { status: 500, error: request.error?.name, reason: request.error?.message, stack: request.error?.stack });
      }
    },
  };
  return [
    ...lambdaLogging(logger),
    anyEvent(httpHeaderNormalizer()),
    ...(options.negotiate ? [options.negotiate] : []),
    // onError runs last-registered first: toReply shapes the error, then the handler answers.
    anyEvent(httpErrorHandler({ logger: false, fallbackMessage: JSON.stringify({ error: internalError }) })),
    toReply,
  ];
}

/** middy's http middlewares are typed for its own event types; our handlers take `unknown` and parse it with zod after them. */
export function anyEvent<E>(middleware: MiddlewareObj<E>): MiddlewareObj {
  return middleware as unknown as MiddlewareObj;
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
  if (typeof event.body !== 'string') return '';
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
