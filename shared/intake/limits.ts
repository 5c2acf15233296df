import { headerValue, type DeliveryHeaders } from './headers.js';

// docs/architecture.md §3.2 limits, checked before any HMAC or parsing work so a large or foreign body costs
// nothing. 256 KiB is also the Step Functions input limit, so a larger ticket could never start.
export const defaultMaxBodyBytes = 256 * 1024;

export interface LimitRefusal {
  httpStatus: 413 | 415;
  code: 'PayloadTooLarge' | 'UnsupportedMediaType';
  message: string;
}

const jsonMediaType = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** application/json, optionally with charset=utf-8; anything else is refused with 415. */
export function checkContentType(headers: DeliveryHeaders): LimitRefusal | undefined {
  const contentType = headerValue(headers, 'content-type');
  if (contentType !== undefined && jsonMediaType.test(contentType.trim())) return undefined;
  return {
    httpStatus: 415,
    code: 'UnsupportedMediaType',
    message: `expected Content-Type application/json (charset utf-8 if given), found ${contentType === undefined ? 'none' : `"${contentType.slice(0, 100)}"`}`,
  };
}

export function checkBodySize(rawBody: string | Uint8Array, maxBytes: number): LimitRefusal | undefined {
  const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.byteLength;
  if (size <= maxBytes) return undefined;
  return {
    httpStatus: 413,
    code: 'PayloadTooLarge',
    message: `expected a body of at most ${maxBytes} bytes, found ${size}; keep the ChangeSpec in the ticket field and large attachments out of the webhook`,
  };
}
