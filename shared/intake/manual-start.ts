import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { InvalidInput } from '../errors.js';
import type { ChangeRequest } from '../spec/index.js';

// POST /changes (docs/architecture.md §3.2): a manual start is bound to its caller, never poses as
// a ticket's delivery, and is named so an accidental second submit is the same change.

export const idempotencyKeyHeader = 'Idempotency-Key';
const idempotencyKey = /^[A-Za-z0-9_-]{1,64}$/;

/** Sources a POST /changes may record: it never comes through a ticketing webhook. */
const manualSources = new Set(['console', 'api', 'cli']);

/** The Idempotency-Key header's value, checked; undefined when none was sent. */
export function idempotencyKeyOf(value: string | undefined): string | undefined {
  const key = value?.trim();
  if (key === undefined || idempotencyKey.test(key)) return key;
  throw new InvalidInput(`expected ${idempotencyKeyHeader} of 1–64 characters from A–Z a–z 0–9 _ -, found "${key.slice(0, 80)}"`, [
    { path: `headers.${idempotencyKeyHeader}`, message: 'A–Z a–z 0–9 _ -, 1–64 characters' },
  ]);
}

/**
 * Who requests a manual change is who called (the IAM principal API Gateway authenticated), whatever
 * the body says; a webhook source becomes `api`. A ticket it names is verified against the
 * ticketing system before anything is applied.
 */
export function bindToCaller(claimed: ChangeRequest, caller: string): ChangeRequest {
  return { ...claimed, requestedBy: caller, source: manualSources.has(claimed.source) ? claimed.source : 'api' };
}

/**
 * The change id: `<source>-<Idempotency-Key>` when given, else `<source>-<hash of the request>`, so
 * an accidental second submit of the same document is the same change. To run an identical request
 * again on purpose, send a new Idempotency-Key.
 */
export function manualChangeId(request: ChangeRequest, key: string | undefined): string {
  return `${request.source}-${key ?? sha256Hex(canonicalJson(request)).slice(0, 16)}`;
}
