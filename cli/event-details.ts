import * as z from '../shared/zod.js';
import { RuleResult, summariseEvent } from '../shared/report/event-summary.js';
import { SummarisedDetail, type AuditEvent } from '../shared/store/index.js';
import { PlanEventDetail, renderPlanDiff } from './plan-diff.js';

// What `submit --wait` and `watch` print under each event line: the details the timeline page
// shows for it — the plan diff, each precheck that did not pass with the object it was about, its
// evidence and fix, a write-back failure's reason, each verification check's verdict and
// evidence. One instance per followed change: it remembers the spec's changes from the first
// event so a failed rule can name the object it was about.

const Received = z.looseObject({ changes: z.array(z.string()) });
const Rules = z.looseObject({ results: z.array(z.extend(RuleResult, { change: z.optional(z.int()) })) });
const WriteBack = z.looseObject({ what: z.string(), system: z.string(), error: z.string(), message: z.string() });
const Check = z.looseObject({ verdict: z.string(), evidence: z.string(), ms: z.optional(z.number()) });

export type EventDetailer = (event: Pick<AuditEvent, 'type' | 'detail'>) => string[];

export function createEventDetailer(): EventDetailer {
  let changes: string[] = [];
  return (event) => {
    const received = Received.safeParse(event.detail);
    if (event.type === 'change.received' && received.success) changes = received.data.changes;
    return detailLines(event, changes).map((line) => `    ${line}`);
  };
}

function detailLines(event: Pick<AuditEvent, 'type' | 'detail'>, changes: readonly string[]): string[] {
  if (event.type === 'plan.created') {
    const plan = PlanEventDetail.safeParse(event.detail);
    if (plan.success) return renderPlanDiff(plan.data);
    if (SummarisedDetail.safeParse(event.detail).success) return ['the plan is too large to print here; its page has it whole'];
  }
  const rules = Rules.safeParse(event.detail);
  if (rules.success) {
    const notPassed = rules.data.results.filter((r) => r.verdict !== 'pass');
    return [
      summariseEvent(event),
      ...notPassed.flatMap((r) => {
        const about = r.change === undefined ? '' : ` — about changes[${r.change}]${changes[r.change] ? ` ${changes[r.change]}` : ''}`;
        return [`${r.verdict === 'fail' ? '✗' : '?'} ${r.verdict} ${r.id}${about}`, ...(r.evidence ? [`    evidence: ${r.evidence}`] : []), ...(r.fix ? [`    fix: ${r.fix}`] : [])];
      }),
    ];
  }
  const writeBack = WriteBack.safeParse(event.detail);
  if (event.type === 'ticket.writeback.failed' && writeBack.success) {
    const d = writeBack.data;
    return [`could not write the ${d.what} to the ${d.system} ticket: ${d.error}: ${d.message}`, 'the change goes on; the ticket misses this note (see docs/runbook.md, "Troubleshooting")'];
  }
  const check = Check.safeParse(event.detail);
  if (/^verify\./.test(event.type) && check.success) {
    return [`${check.data.verdict}: ${check.data.evidence}${check.data.ms === undefined ? '' : ` (${(check.data.ms / 1000).toFixed(1)} s)`}`];
  }
  const line = summariseEvent(event);
  return line ? [line] : [];
}
