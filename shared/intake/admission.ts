import type { ChangeRequest, ChangeWindow, TicketRef } from '../spec/change-request.js';
import type { DeliveryVerdict } from './delivery-verdict.js';

// Intake works in two halves so the webhook can claim the delivery key between them: admission
// (signature, JSON, ticket shape, approval, window — no YAML) names the delivery from signed
// content; acceptance (the ChangeSpec, parsed and validated once) runs only for a delivery that is
// not a known duplicate. A duplicate therefore costs one write and never reaches a YAML parser.

export type Admission = Exclude<DeliveryVerdict, { kind: 'accepted' }> | Admitted;

export interface Admitted {
  kind: 'admitted';
  /** From signed content only (ServiceNow sys_id + sys_mod_count, Jira issue id + changelog id). */
  deliveryKey: string;
  executionName: string;
  /** The ChangeRequest without its spec: the spec text is read by acceptance. */
  envelope: Omit<ChangeRequest, 'spec'> & { window?: ChangeWindow; ticket: TicketRef };
  /** Where the spec text came from, as the person reading an error would name it. */
  specSource: string;
  specText: string;
}

/**
 * True for a refusal of a delivery whose signature (and, for Jira's body-only signature, its body
 * timestamp) checked out: only those may cost a durable record. Media type, size and signature
 * refusals (401/413/415) come from anyone on the internet.
 */
export function isAuthenticatedRefusal(verdict: Extract<DeliveryVerdict, { kind: 'refused' }>): boolean {
  return verdict.httpStatus === 400;
}
