import type * as z from 'zod';
import { parseJsonBody } from '../../shared/intake/json-body.js';
import { checkBodySize, checkContentType } from '../../shared/intake/limits.js';
import { issuesFromZod } from '../../shared/spec/issues.js';
import { ChangeflowError, InvalidInput } from '../../shared/errors.js';
import { bodyText, type HttpApiEvent } from './http.js';

// The small JSON bodies of the change-control routes (approve, abort, freezes): the same limits
// as every other route, then one zod schema; a refusal names each offending field.

const maxControlBodyBytes = 16 * 1024;

class RequestRefused extends ChangeflowError {
  constructor(
    override readonly name: 'PayloadTooLarge' | 'UnsupportedMediaType',
    message: string,
  ) {
    super(message);
  }
}

export function readJsonRequest<S extends z.ZodType>(request: HttpApiEvent, schema: S, what: string): z.output<S> {
  const text = bodyText(request);
  const limit = checkContentType(request.headers) ?? checkBodySize(text, maxControlBodyBytes);
  if (limit) throw new RequestRefused(limit.code, limit.message);
  const body = parseJsonBody(text);
  if (!body.ok) throw new InvalidInput(body.message, [{ path: '(body)', message: 'not JSON' }]);
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    throw new InvalidInput(`expected ${what}; ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}
