import type { AuditEvent } from '../shared/store/index.js';

// When did a change hold its target, read from its audit trail: applying runs from the first
// apply.*.started to the change's final event; holding the locks from lock.acquired to
// lock.released. Max overlap per target is the proof that the locks serialise changes.

export interface Window {
  readonly changeId: string;
  readonly from: number;
  readonly to: number;
}

const finalEvent = /^change\.(succeeded|rolled-back|rollback-failed|failed|rejected)$/;

export function windowsOf(changeId: string, events: readonly AuditEvent[]): { apply?: Window; lock?: Window } {
  const at = (e: AuditEvent | undefined) => (e ? Date.parse(e.at) : undefined);
  const applyStart = events.find((e) => /^apply\.(aci|cluster)\.started$/.test(e.type));
  const applyEnd = applyStart ? events.find((e) => e.seq > applyStart.seq && finalEvent.test(e.type)) : undefined;
  const locked = events.find((e) => e.type === 'lock.acquired');
  const released = locked ? events.find((e) => e.seq > locked.seq && e.type === 'lock.released') : undefined;
  const window = (from: number | undefined, to: number | undefined): Window | undefined =>
    from === undefined ? undefined : { changeId, from, to: to ?? Number.POSITIVE_INFINITY };
  return { apply: window(at(applyStart), at(applyEnd)), lock: window(at(locked), at(released)) };
}

/** Most windows open at one instant; one ending exactly when another starts does not overlap. */
export function maxOverlap(windows: readonly Window[]): number {
  const edges = windows.flatMap((w) => [
    { t: w.from, d: 1 },
    { t: w.to, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let max = 0;
  for (const e of edges) {
    open += e.d;
    max = Math.max(max, open);
  }
  return max;
}
