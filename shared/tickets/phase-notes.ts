import * as z from '../zod.js';
import { DiffLine } from '../plan/plan-op.js';
import { PrecheckResult, summarisePrechecks } from '../plan/precheck.js';
import { formatPlanTotals, objectTotalsOf } from '../plan/plan.js';
import type { TicketPhase } from './writer.js';

// What each phase tells the people who approved the ticket, rendered as plain text that reads
// well in a ServiceNow work note and in a Jira comment. Journal entries are clipped so that a
// huge plan never makes the write itself fail; the audit link has the rest.
const maxNoteChars = 3800;
const maxListed = 30;

const Common = { changeId: z.string().check(z.minLength(1)), auditUrl: z.optional(z.string()) };

export const PhaseReport = z.discriminatedUnion('phase', [
  z.object({
    phase: z.literal('accepted'),
    ...Common,
    executionName: z.optional(z.string()),
    target: z.optional(z.object({ site: z.string(), fabric: z.string(), cluster: z.string() })),
    mode: z.optional(z.enum(['apply', 'plan-only'])),
    changes: z._default(z.array(z.string()), []),
    requestedBy: z.optional(z.string()),
  }),
  z.object({ phase: z.literal('precheck'), ...Common, results: z.array(PrecheckResult) }),
  z.object({
    phase: z.literal('plan'),
    ...Common,
    planHash: z.string(),
    totals: z.object({ create: z.number(), modify: z.number(), delete: z.number(), restart: z.number() }),
    diff: z.array(DiffLine),
  }),
  z.object({
    phase: z.literal('approval'),
    ...Common,
    planHash: z.string(),
    deadline: z.string(),
    approveCommand: z.string(),
    diff: z.array(DiffLine),
  }),
  z.object({ phase: z.literal('observing'), ...Common, seconds: z.int(), intervalSeconds: z.int(), until: z.string() }),
  z.object({ phase: z.literal('aborted'), ...Common, by: z.string(), reason: z.string() }),
  z.object({ phase: z.literal('applied'), ...Common, aciOps: z.int(), clusterOps: z.int(), durationSeconds: z.optional(z.number()) }),
  z.object({
    phase: z.literal('verified'),
    ...Common,
    checks: z.array(z.object({ name: z.string(), verdict: z.enum(['pass', 'fail', 'inconclusive']), detail: z.optional(z.string()) })),
  }),
  z.object({ phase: z.literal('rolledBack'), ...Common, reason: z.string(), failedStep: z.optional(z.string()), verified: z.boolean() }),
  z.object({ phase: z.literal('failed'), ...Common, reason: z.string(), step: z.optional(z.string()) }),
  // A drift check found the live state away from this ticket's change (docs/architecture.md §3.7).
  z.object({
    phase: z.literal('drift'),
    ...Common,
    /** The SUCCEEDED change whose ticket this is: the last one in force on the targets. */
    inForce: z.string(),
    targets: z.array(z.object({ target: z.string(), drift: z.array(z.object({ ref: z.string(), path: z.string(), expected: z.string(), found: z.string() })) })),
  }),
]);
export type PhaseReport = z.infer<typeof PhaseReport>;
export type PhaseReportInput = z.input<typeof PhaseReport>;

export function renderPhaseNote(input: PhaseReportInput): { phase: TicketPhase; text: string } {
  const report = PhaseReport.parse(input);
  const lines = [...body(report), `change ${report.changeId}${report.auditUrl ? ` · audit ${report.auditUrl}` : ''}`];
  return { phase: report.phase, text: clip(lines.join('\n'), report.auditUrl) };
}

function body(r: PhaseReport): string[] {
  switch (r.phase) {
    case 'accepted':
      return [
        `[changeflow] Change accepted${r.mode === 'plan-only' ? ' (plan only — nothing will be applied)' : ''}.`,
        ...(r.requestedBy ? [`Requested by ${r.requestedBy}.`] : []),
        ...(r.target ? [`Target: site ${r.target.site}, fabric ${r.target.fabric}, cluster ${r.target.cluster}.`] : []),
        ...listed(r.changes.map((c) => `  ${c}`), 'changes'),
      ];
    case 'precheck': {
      const s = summarisePrechecks(r.results);
      const counts = `${r.results.length} rules: ${s.passed} passed, ${s.failed} failed, ${s.unknown} unknown`;
      if (s.failed === 0) {
        const unknown = r.results.filter((x) => x.verdict === 'unknown').map((x) => `  ? ${x.id} — ${x.evidence}`);
        return [`[changeflow] Precheck passed (${counts}).`, ...listed(unknown, 'unknown rules')];
      }
      const failed = r.results
        .filter((x) => x.verdict === 'fail')
        .flatMap((x) => [`  ✗ ${x.id}: ${x.title}`, `      evidence: ${x.evidence}`, ...(x.fix ? [`      fix: ${x.fix}`] : [])]);
      return [`[changeflow] Precheck FAILED — nothing was changed (${counts}).`, ...listed(failed, 'lines')];
    }
    case 'plan': {
      const total = `Plan: ${formatPlanTotals(objectTotalsOf(r.diff), r.totals)}.`;
      return [`[changeflow] Plan ${r.planHash.slice(0, 12)} ready.`, ...listed(r.diff.map(diffLine), 'lines'), total];
    }
    case 'approval':
      return [
        `[changeflow] Plan ${r.planHash} is WAITING FOR APPROVAL until ${r.deadline}; nothing has been applied and the targets stay locked.`,
        ...listed(r.diff.map(diffLine), 'lines'),
        `To approve, add a note "/approve ${r.planHash.slice(0, 12)}" (approver group) or run: ${r.approveCommand}`,
      ];
    case 'observing':
      return [`[changeflow] Verified; observing for ${r.seconds} s (checks every ${r.intervalSeconds} s, until ${r.until}). A regression rolls the change back; the ticket closes after the window.`];
    case 'aborted':
      return [`[changeflow] ABORTED by ${r.by} before anything was applied: ${r.reason}. The targets are unlocked.`];
    case 'applied':
      return [
        `[changeflow] Applied: ${r.aciOps} APIC operation${r.aciOps === 1 ? '' : 's'}, ${r.clusterOps} cluster operation${r.clusterOps === 1 ? '' : 's'}${r.durationSeconds === undefined ? '' : ` in ${Math.round(r.durationSeconds)} s`}. Verifying next.`,
      ];
    case 'verified': {
      const bad = r.checks.filter((c) => c.verdict !== 'pass');
      const head = bad.length === 0 ? `[changeflow] Verified: all ${r.checks.length} checks passed.` : `[changeflow] Verification FAILED: ${bad.length} of ${r.checks.length} checks did not pass.`;
      return [head, ...listed(r.checks.map((c) => `  ${c.verdict === 'pass' ? '✓' : '✗'} ${c.name}${c.detail ? ` — ${c.detail}` : ''}`), 'checks')];
    }
    case 'rolledBack':
      return [
        `[changeflow] Rolled back${r.failedStep ? ` after ${r.failedStep} failed` : ''}: ${r.reason}`,
        r.verified ? 'The rollback was verified: the fabric and the cluster are back to their state before the change.' : 'The rollback could NOT be verified: the locks stay held and an engineer has been paged.',
      ];
    case 'failed':
      return [`[changeflow] Change FAILED${r.step ? ` at ${r.step}` : ''}: ${r.reason}`];
    case 'drift': {
      const drifted = r.targets.filter((t) => t.drift.length > 0);
      const count = drifted.reduce((n, t) => n + t.drift.length, 0);
      const items = drifted.flatMap((t) => t.drift.map((d) => (d.path === '' ? `  ! ${d.ref}: expected ${d.expected}, found ${d.found}` : `  ~ ${d.ref} ${d.path}: expected ${d.expected}, found ${d.found}`)));
      const first = drifted[0]?.target.replace(/^(fabric|cluster)#/, '$1:') ?? '';
      return [
        `[changeflow] DRIFT from change ${r.inForce}: ${count} object${count === 1 ? '' : 's'} differ${count === 1 ? 's' : ''} on ${drifted.map((t) => t.target).join(' and ')}; nothing was changed.`,
        ...listed(items, 'lines'),
        `To see it and the ChangeSpec that restores the desired state: changeflow drift --target ${first}`,
      ];
    }
  }
}

function diffLine(d: DiffLine): string {
  const attr = d.attribute ? ` ${d.attribute}: ${d.from ?? ''} → ${d.to ?? ''}` : '';
  return `  ${d.sign} ${d.ref}${attr}`;
}

function listed(lines: string[], what: string): string[] {
  if (lines.length <= maxListed) return lines;
  return [...lines.slice(0, maxListed), `  … ${lines.length - maxListed} more ${what} in the audit trail`];
}

function clip(text: string, auditUrl: string | undefined): string {
  if (text.length <= maxNoteChars) return text;
  const tail = `\n… (note shortened; full detail${auditUrl ? ` at ${auditUrl}` : ' in the audit trail'})`;
  return text.slice(0, maxNoteChars - tail.length) + tail;
}
