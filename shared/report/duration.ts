import type { AuditEvent } from '../store/audit-event.js';
import type { ChangeRecord } from '../store/change-record.js';

// One way to say how long something took, for the page, `audit show`, `status` and the demo —
// they disagreed when each measured and printed its own.

/** `850ms`, `1.2s`, `3m04s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * How long a change took: its first audit event to its last (the lock release and the ticket
 * close after the final status included), or the record's own times when it has no events.
 */
export function changeDurationMs(change: Pick<ChangeRecord, 'createdAt' | 'updatedAt'>, events: ReadonlyArray<Pick<AuditEvent, 'at'>>): number {
  const first = events[0];
  const last = events.at(-1);
  if (first && last) return Date.parse(last.at) - Date.parse(first.at);
  return Date.parse(change.updatedAt) - Date.parse(change.createdAt);
}
