import * as z from '../zod.js';
import type { Store } from '../store/index.js';
import { isFinalStatus } from '../store/index.js';
import { ControlRefused } from './errors.js';
import type { ApprovalGrant } from './control-store.js';

// Approving a waiting plan, whoever asks (the HTTP route, a ticket comment): the plan hash must
// be the one waiting, else nothing happens (409). The grant is recorded before the wait is woken,
// so an approval is never lost to a wait slice rolling over.

export const ApproveRequest = z.strictObject({
  planHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'the full 64-character plan hash (from `changeflow status` or the ticket note)')),
  by: z.string().check(z.trim(), z.minLength(1, 'say who approves'), z.maxLength(200)),
  comment: z.optional(z.string().check(z.maxLength(2000))),
});
export type ApproveRequest = z.infer<typeof ApproveRequest>;

export interface Waker {
  succeed(token: string, output: unknown): Promise<boolean>;
}

export async function approveChange(store: Store, waker: Waker, changeId: string, request: ApproveRequest, now: Date, via: string): Promise<ApprovalGrant> {
  const change = await store.changes.require(changeId);
  if (isFinalStatus(change.status, change.mode)) throw new ControlRefused(`change ${changeId} has ended ${change.status}; nothing to approve`);
  if (change.status !== 'AWAITING_APPROVAL') throw new ControlRefused(`change ${changeId} is ${change.status}, not waiting for an approval`);
  const control = await store.control.get(changeId);
  if (request.planHash !== control.awaitingPlanHash) {
    throw new ControlRefused(`plan hash ${request.planHash.slice(0, 12)}… is not the plan waiting (${(control.awaitingPlanHash ?? 'none').slice(0, 12)}…); read the plan again with \`changeflow status ${changeId}\``);
  }
  const grant: ApprovalGrant = { by: request.by, planHash: request.planHash, ...(request.comment ? { comment: request.comment } : {}), at: now.toISOString() };
  if (!(await store.control.grant(changeId, grant))) throw new ControlRefused(`change ${changeId} was already approved`);
  await store.audit.appendEvent({ changeId, type: 'approval.granted', status: 'AWAITING_APPROVAL', actor: request.by, detail: { ...grant, via } });
  if (control.approvalToken) await waker.succeed(control.approvalToken, grant);
  return grant;
}
