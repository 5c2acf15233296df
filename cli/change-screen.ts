import { typedTarget } from '../shared/store/targets.js';
import type { AuditEvent, ChangeRecord } from '../shared/store/index.js';
import { changeDurationMs, formatDuration } from '../shared/report/duration.js';

// `changeflow status ID`: one screen a person reads at 2 a.m. — where the change is, who asked,
// since when, and what happens next (or what they must do).

export interface ScreenInput {
  change: ChangeRecord;
  events: readonly AuditEvent[];
  final: boolean;
  api: string;
  now: number;
  /** The running step's progress (the connectivity test), while the change runs. */
  progress?: { what: string; done: number; total: number; running?: string };
}

/** What comes next for a change in this status, in the operator's words. */
export function whatIsNext(change: ChangeRecord, events: readonly AuditEvent[], api: string): string {
  const targets = [`fabric#${change.targets.fabric}`, `cluster#${change.targets.cluster}`].map(typedTarget);
  switch (change.status) {
    case 'RECEIVED':
    case 'PRECHECKING':
      return 'prechecks against the live fabric and cluster, then the plan';
    case 'PLANNED':
      return change.mode === 'plan-only' ? 'nothing: a plan-only change ends here; submit it with mode: apply to make it' : 'the re-check of the ticket, then the snapshot and apply';
    case 'APPLYING':
      return 'verification (BGP sessions, pools, egress, connectivity test); any failure rolls both sides back';
    case 'VERIFYING':
      return 'the outcome: SUCCEEDED, or a rollback if a check fails';
    case 'ROLLING_BACK':
      return 'the rollback is running: cluster first, then the APIC; then it is verified';
    case 'SUCCEEDED':
    case 'ROLLED_BACK':
    case 'REJECTED':
    case 'FAILED':
      return `nothing: the change is final. Its timeline: ${api}/changes/${encodeURIComponent(change.changeId)}`;
    case 'ROLLBACK_FAILED': {
      const failed = [...events].reverse().find((e) => e.type.startsWith('rollback.'));
      return [
        'a human: the rollback failed and the locks are held so nothing else touches these targets.',
        `  1. check the targets by hand against the plan's inverse (${failed ? `event ${failed.seq} ${failed.type}` : 'see the audit trail'})`,
        `  2. release them: ${targets.map((t) => `changeflow unlock ${t} --reason "…"`).join('; ')}`,
        '  (docs/runbook.md, "ROLLBACK_FAILED")',
      ].join('\n');
    }
    default:
      return 'see the timeline';
  }
}

export function renderChangeScreen(input: ScreenInput): string {
  const { change, events, api, now } = input;
  const last = events.at(-1);
  const ticket = change.ticket.system === 'none' ? 'none' : `${change.ticket.system} ${change.ticket.number ?? change.ticket.key}`;
  const age = formatDuration(now - Date.parse(change.createdAt));
  const took = formatDuration(changeDurationMs(change, events));
  return [
    `change   ${change.changeId}`,
    `status   ${change.status}${input.final ? ' (final)' : ''}${change.outcome?.reason ? ` — ${change.outcome.reason}` : ''}`,
    `step     ${last ? `${last.type} at ${last.at} (event ${last.seq})` : 'not started'}`,
    ...(input.progress && !input.final ? [`progress ${input.progress.what}: ${input.progress.done}/${input.progress.total} tests done${input.progress.running ? ` · running ${input.progress.running}` : ''}`] : []),
    `who      ${change.requestedBy} via ${change.source}; ticket ${ticket}`,
    `targets  site ${change.targets.site} · fabric ${change.targets.fabric} · cluster ${change.targets.cluster}`,
    `when     created ${change.createdAt} (${age} ago) · updated ${change.updatedAt}${input.final ? ` · took ${took}` : ''}`,
    ...(change.planHash ? [`plan     ${change.planHash.slice(0, 12)}`] : []),
    `next     ${whatIsNext(change, events, api)}`,
  ].join('\n').concat('\n');
}
