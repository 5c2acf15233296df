import * as z from '../zod.js';
import type { Store } from '../store/index.js';
import { isFinalStatus } from '../store/index.js';
import { abortReason } from './abort.js';
import { ControlRefused } from './errors.js';

// Aborting a running change, whoever asks (the HTTP route, a cancelled ticket). Before anything
// was applied it ends ABORTED; from APPLYING on it rolls back like a failure. A waiting approval
// is woken at once; other steps see the request at their next boundary.

export const AbortRequestBody = z.strictObject({
  by: z.string().check(z.trim(), z.minLength(1, 'say who aborts'), z.maxLength(200)),
  reason: z.string().check(z.trim(), z.minLength(1, 'say why'), z.maxLength(1000)),
});
export type AbortRequestBody = z.infer<typeof AbortRequestBody>;

export interface Failer {
  fail(token: string, error: string, cause: string): Promise<boolean>;
}

export type AbortEffect = 'abort before apply' | 'roll back';

export async function abortChange(store: Store, failer: Failer, changeId: string, request: AbortRequestBody, now: Date, via: string): Promise<AbortEffect> {
  const change = await store.changes.require(changeId);
  if (isFinalStatus(change.status, change.mode)) throw new ControlRefused(`change ${changeId} has already ended ${change.status}; nothing to abort`);
  const abort = { by: request.by, reason: request.reason, at: now.toISOString() };
  const first = await store.control.requestAbort(changeId, abort);
  const effect: AbortEffect = ['APPLYING', 'VERIFYING', 'OBSERVING', 'ROLLING_BACK'].includes(change.status) ? 'roll back' : 'abort before apply';
  if (!first) return effect;
  await store.audit.appendEvent({ changeId, type: 'abort.requested', status: change.status, actor: request.by, detail: { ...abort, via, effect } });
  const { approvalToken } = await store.control.get(changeId);
  if (change.status === 'AWAITING_APPROVAL' && approvalToken) await failer.fail(approvalToken, 'ChangeAborted', abortReason(abort));
  return effect;
}
