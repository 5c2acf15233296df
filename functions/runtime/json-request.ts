import type { MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type * as z from '../../shared/zod.js';
import { jsonTextProblem } from '../../shared/intake/json-body.js';
import { checkBodySize, checkContentType } from '../../shared/intake/limits.js';
import { issuesFromZod } from '../../shared/spec/issues.js';
import { ChangeflowError, InvalidInput } from '../../shared/errors.js';
import { anyEvent } from './http.js';

// The JSON bodies of POST /changes and the change-control routes (approve, abort, freezes):
// the limits every route has (application/json in UTF-8, a size, nesting a recursive schema
// survives) checked before anything parses, then @middy/http-json-body-parser, then one zod
// schema per route whose refusal names each offending field.

const maxControlBodyBytes = 16 * 1024;

class RequestRefused extends ChangeflowError {
  constructor(
    override readonly name: 'PayloadTooLarge' | 'UnsupportedMediaType' | 'InvalidJson',
    message: string,
  ) {
    super(message);
  }
}

interface RawHttpEvent {
  headers?: Record<string, string>;
  body?: unknown;
  isBase64Encoded?: boolean;
}

/** Middy middlewares: the limits, then the parser; the handler finds the parsed value in `event.body`. */
export function jsonBody(maxBytes: number = maxControlBodyBytes): MiddlewareObj[] {
  const limits: MiddlewareObj = {
    before: (request) => {
      const event = request.event as RawHttpEvent;
      const raw = typeof event.body !== 'string' ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
      const limit = checkContentType(event.headers ?? {}) ?? checkBodySize(raw, maxBytes);
      if (limit) throw new RequestRefused(limit.code, limit.message);
      const text = jsonTextProblem(raw);
      if (!text.ok) throw new RequestRefused('InvalidJson', text.message);
    },
  };
  return [limits, anyEvent(httpJsonBodyParser())];
}

/** The parsed body (`jsonBody` ran) against the route's schema. */
export function readJsonBody<S extends z.ZodMiniType>(event: unknown, schema: S, what: string): z.output<S> {
  const parsed = schema.safeParse((event as RawHttpEvent).body);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    throw new InvalidInput(`expected ${what}; ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}
