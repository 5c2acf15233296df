import type { Store } from '../store/index.js';
import type { AbortRequest } from './control-store.js';
import { ChangeAborted } from './errors.js';

// An abort is a request the workflow honours at its next step boundary: the approval wait is
// woken at once, an agent step in flight finishes first (the agent cannot be interrupted
// half-way through a batch), then the change ends ABORTED or rolls back.

export function abortReason(abort: AbortRequest): string {
  return `aborted by ${abort.by}: ${abort.reason}`;
}

export async function throwIfAborted(store: Pick<Store, 'control'>, changeId: string): Promise<void> {
  const { abort } = await store.control.get(changeId);
  if (abort) throw new ChangeAborted(abortReason(abort));
}
