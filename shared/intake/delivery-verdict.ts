import type { ChangeRequest } from '../spec/change-request.js';

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

/** The HTTP reply DESIGN.md §3.2 prescribes for a verdict that starts nothing. */
export function replyWithoutStart(
  verdict: Exclude<DeliveryVerdict, { kind: 'accepted' }>,
): { statusCode: number; body: Record<string, unknown> } {
  if (verdict.kind === 'ignored') return { statusCode: 202, body: { status: 'ignored', reason: verdict.reason } };
  const error: Record<string, unknown> = { code: verdict.code, message: verdict.message };
  if (verdict.issues) error.issues = verdict.issues;
  return { statusCode: verdict.httpStatus, body: { error } };
}
