import type * as z from '../zod.js';
import type { ChangeRequest } from '../spec/change-request.js';
import { formatPath } from '../spec/issues.js';

// What intake decided about one delivery. The webhook handler records every verdict in the
// delivery log (refusals and ignores included) and only starts an execution for `accepted`.
export interface VerdictIssue {
  path: string;
  message: string;
}

export type RefusalCode =
  | 'UnsupportedMediaType'
  | 'PayloadTooLarge'
  | 'SignatureMissing'
  | 'SignatureMalformed'
  | 'SignatureMismatch'
  | 'TimestampOutOfWindow'
  | 'InvalidJson'
  | 'InvalidTicket'
  | 'InvalidChangeSpec'
  | 'InvalidWindow';

export type DeliveryVerdict =
  | { kind: 'refused'; httpStatus: 400 | 401 | 413 | 415; code: RefusalCode; message: string; issues?: VerdictIssue[]; deliveryKey?: string }
  | { kind: 'ignored'; reason: string; deliveryKey?: string }
  | { kind: 'accepted'; deliveryKey: string; executionName: string; request: ChangeRequest };

export type Refusal = Extract<DeliveryVerdict, { kind: 'refused' }>;

/** The HTTP reply docs/architecture.md §3.2 prescribes for a verdict that starts nothing. */
export function replyWithoutStart(
  verdict: Exclude<DeliveryVerdict, { kind: 'accepted' }>,
): { statusCode: number; body: Record<string, unknown> } {
  if (verdict.kind === 'ignored') return { statusCode: 202, body: { status: 'ignored', reason: verdict.reason } };
  const error: Record<string, unknown> = { code: verdict.code, message: verdict.message };
  if (verdict.issues) error.issues = verdict.issues;
  return { statusCode: verdict.httpStatus, body: { error } };
}

/** A ticket body that is not the shape its system sends: 400, naming every wrong field. */
export function invalidTicket(expected: string, error: z.core.$ZodError): Refusal {
  const issues = error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return {
    kind: 'refused',
    httpStatus: 400,
    code: 'InvalidTicket',
    message: `expected ${expected}; ${issues.length} field(s) wrong, first ${issues[0]?.path || '(body)'}: ${issues[0]?.message ?? ''}`,
    issues,
  };
}
