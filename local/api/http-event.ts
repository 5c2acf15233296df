import type { IncomingHttpHeaders } from 'node:http';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { HttpApiEvent } from '../../functions/runtime/http.js';
import { localCallerHeader } from '../../shared/intake/headers.js';

// One node:http request → the API Gateway HTTP API payload v2 event the Lambda would receive.
// The body is passed exactly as received: signatures are over the raw bytes, so text that is not
// valid UTF-8 travels base64-encoded instead of being "repaired" into different bytes.

export interface RawRequest {
  method: string;
  /** Path and query as sent, e.g. `/changes?ticket=CHG1`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
}

export interface EventRoute {
  routeKey: string;
  pathParameters?: Record<string, string>;
  /** IAM-authenticated routes: who called, as API Gateway's IAM authorizer would name them. */
  caller?: string;
}

const callerName = /^[A-Za-z0-9][A-Za-z0-9._@+=,:/-]{0,127}$/;

/**
 * The caller of an IAM route on the local stack: the operator the CLI sends, else the OS user
 * running the stack — the local stand-in for the principal ARN API Gateway puts in the context.
 */
export function localCaller(headers: IncomingHttpHeaders, fallback: string): { ok: true; caller: string } | { ok: false; message: string } {
  const sent = headers[localCallerHeader];
  const value = Array.isArray(sent) ? sent[0] : sent;
  if (value === undefined) return { ok: true, caller: fallback };
  return callerName.test(value)
    ? { ok: true, caller: value }
    : { ok: false, message: `expected ${localCallerHeader} to name an operator (1–128 of A–Z a–z 0–9 . _ @ + = , : / -), found "${value.slice(0, 80)}"` };
}

export type LocalHttpApiEvent = Omit<HttpApiEvent, 'requestContext' | 'body'> & {
  version: '2.0';
  /** The body as API Gateway sends it: text, base64 when `isBase64Encoded`. */
  body?: string;
  routeKey: string;
  requestContext: {
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    [field: string]: unknown;
  };
};

export function toHttpApiEvent(request: RawRequest, route: EventRoute, now: Date): LocalHttpApiEvent {
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = queryParameters(rawQueryString);
  const text = request.body.length > 0 && isUtf8(request.body);
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    ...(request.body.length > 0 ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !text,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers['host'] ?? '127.0.0.1',
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(route.caller ? { authorizer: { iam: { accessKey: 'local', accountId: '000000000000', callerId: route.caller, principalOrgId: null, userArn: route.caller, userId: route.caller } } } : {}),
    },
  };
}

/** API Gateway joins repeated query parameters with commas. */
function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) out[name] = name in out ? `${out[name]},${value}` : value;
  return Object.keys(out).length > 0 ? out : undefined;
}
