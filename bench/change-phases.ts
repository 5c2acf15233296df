import type { AuditEvent } from '../shared/store/index.js';

// Splits one change's wall time into its workflow steps by the audit events that end them. The
// phases are consecutive, so they add up to the total; a step whose event is missing is folded
// into the next one.

const boundaries: ReadonlyArray<readonly [label: string, endsAt: string]> = [
  ['webhook intake → change.received', 'change.received'],
  ['lock', 'lock.acquired'],
  ['gather facts (agent)', 'facts.gathered'],
  ['precheck', 'precheck.passed'],
  ['plan', 'plan.created'],
  ['re-check ticket, window, plan', 'recheck.passed'],
  ['snapshot (agent)', 'snapshot.created'],
  ['apply ACI (agent)', 'apply.aci.applied'],
  ['apply cluster (agent)', 'apply.cluster.applied'],
  ['verify (agent)', 'verify.passed'],
  ['record outcome', 'change.succeeded'],
  ['release locks', 'lock.released'],
];
const tail = 'ticket write-back → execution end';

export const phaseLabels: readonly string[] = [...boundaries.map(([label]) => label), tail];

export function phaseDurations(events: readonly AuditEvent[], startedAtMs: number, endedAtMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  let from = startedAtMs;
  for (const [label, type] of boundaries) {
    const at = events.find((e) => e.type === type)?.at;
    if (at === undefined) continue;
    const ms = Date.parse(at);
    out[label] = ms - from;
    from = ms;
  }
  out[tail] = endedAtMs - from;
  return out;
}

/** The same phases as time windows [from, to) in epoch ms, to split traffic counted elsewhere by step. */
export function phaseWindows(events: readonly AuditEvent[], startedAtMs: number, endedAtMs: number): Array<{ label: string; from: number; to: number }> {
  const out: Array<{ label: string; from: number; to: number }> = [];
  let from = startedAtMs;
  for (const [label, type] of boundaries) {
    const at = events.find((e) => e.type === type)?.at;
    if (at === undefined) continue;
    const to = Date.parse(at);
    out.push({ label, from, to });
    from = to;
  }
  out.push({ label: tail, from, to: Math.max(from, endedAtMs) });
  return out;
}
