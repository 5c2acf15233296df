import type { MiddlewareObj } from '@middy/core';
import httpContentNegotiation from '@middy/http-content-negotiation';
import { anyEvent } from './http.js';

// Accept negotiation for the routes that also serve a page (GET /, /changes, /changes/{id}),
// in its own module so only their bundles carry @middy/http-content-negotiation and negotiator.

/** JSON first: a client that ranks both alike (any type, or no Accept header) gets JSON; its own order breaks other ties. */
const pageMediaTypes = ['application/json', 'text/html'] as const;

/** The middleware httpApi's `negotiate` takes: `context.preferredMediaType` is text/html or application/json. */
export function pageNegotiation(): MiddlewareObj {
  return anyEvent(httpContentNegotiation({ parseCharsets: false, parseEncodings: false, parseLanguages: false, availableMediaTypes: [...pageMediaTypes], failOnMismatch: false }));
}

/** True when pageNegotiation chose the page. */
export function wantsPage(context: unknown): boolean {
  return (context as { preferredMediaType?: unknown } | undefined)?.preferredMediaType === 'text/html';
}
