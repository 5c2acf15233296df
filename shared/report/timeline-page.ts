import type { DiffLine } from '../plan/plan-op.js';
import { formatOperations, objectTotalsOf, type Plan } from '../plan/plan.js';
import type { AuditEvent } from '../store/audit-event.js';
import type { ChangeRecord } from '../store/change-record.js';
import { typedTarget } from '../store/targets.js';
import { changeDurationMs, formatDuration as duration } from './duration.js';
import { rulesNotPassed, summariseEvent } from './event-summary.js';
import { escapeHtml as e } from './html.js';
import { groupByPhase, phaseTitles, stepsOf, toneOfEvent, toneOfStatus, type PhaseGroup, type Step } from './timeline-phases.js';
import { timelineStyle } from './timeline-style.js';
import { renderWorkflowGraph, type WorkflowRun } from './workflow-graph.js';
import { controlBox } from './control-box.js';

export { toneOfEvent, toneOfStatus, type Tone } from './timeline-phases.js';

// The page a change manager opens from the ticket: how the change ended and why, which steps it
// went through, what the plan changed on each side, and whether the audit chain still verifies.
// Self-contained HTML, no scripts.

export interface TimelinePageInput {
  readonly change: ChangeRecord;
  readonly events: readonly AuditEvent[];
  readonly diff?: readonly DiffLine[];
  /** The plan's operations by action (plan.created's totals): the totals line says objects and the ops carrying them, as the CLI does. */
  readonly planTotals?: Plan['totals'];
  /** When the page is drawn (the observation countdown starts from it); default: the change's last update. */
  readonly now?: Date;
  /** The state machine's ASL and this change's path through it (from its execution), when known. */
  readonly workflow?: { readonly definition: unknown; readonly run: WorkflowRun };
  /** Served through a signed link from a ticket note (shared/signing/page-link.ts): read-only, until then. */
  readonly link?: { readonly expiresAt: string };
  /**
   * The page of events the Timeline card lists when the trail is longer than a page (issue 20):
   * the steps, outcome and summary are still drawn from every event.
   */
  readonly page?: { readonly events: readonly AuditEvent[]; readonly nextHref?: string; readonly firstHref?: string };
  readonly chain: {
    readonly valid: boolean;
    readonly firstBadSeq?: number;
    readonly problem?: string;
    /** The comparison with the audit anchor outside the table, when the stack has one. */
    readonly anchor?: { readonly state: string; readonly anchor: string; readonly head?: { readonly seq: number; readonly anchoredAt: string }; readonly message?: string };
  };
}

/** The anchored verdict in one line: what the anchor outside the table says about this chain. */
function anchorLine(chain: TimelinePageInput['chain']): string {
  const anchor = chain.anchor;
  if (!anchor) return '<span class="badge warn">not anchored</span> <span class="meta">this stack keeps no audit anchor</span>';
  if (anchor.state === 'matched' && anchor.head) {
    return `<span class="badge good">matches anchor</span> <span class="meta">seq ${anchor.head.seq} anchored ${e(readableTime(anchor.head.anchoredAt))}</span>`;
  }
  return `<span class="badge bad">DIFFERS FROM ANCHOR</span> <span class="meta">${e(anchor.message ?? chain.problem ?? '')}</span>`;
}


const readableTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
const systemNames: Record<string, string> = { servicenow: 'ServiceNow', jira: 'Jira', none: 'no ticket' };
const stepMarks = { good: '✓', bad: '✕', warn: '↺', info: '•', skipped: '–' } as const;

function stepper(steps: readonly Step[], mode: ChangeRecord['mode']): string {
  const items = steps.map((s) => {
    const skipped = mode === 'plan-only' && ['apply', 'verify'].includes(s.phase) ? 'not run: plan only' : 'not reached';
    const note = s.tone === 'skipped' ? skipped : s.ms === undefined ? '' : duration(s.ms);
    return `<li class="step ${s.tone}"><span class="mark">${stepMarks[s.tone]}</span><span class="name">${e(phaseTitles[s.phase])}</span><small>${e(note)}</small></li>`;
  });
  return `<ol class="steps">${items.join('')}</ol>`;
}

function eventItem(ev: AuditEvent, previousAt: number): string {
  const tone = toneOfEvent(ev);
  const since = `+${duration(Math.max(0, Date.parse(ev.at) - previousAt))}`;
  const badge = ev.status ? ` <span class="badge ${toneOfStatus(ev.status)}">${e(ev.status)}</span>` : '';
  const rules = rulesNotPassed(ev)
    .map((r) => `<li><strong>${e(r.verdict)}</strong> ${e(r.id)}${r.evidence ? ` — ${e(r.evidence)}` : ''}${r.fix ? `<br><span class="fix">fix: ${e(r.fix)}</span>` : ''}</li>`)
    .join('');
  const json = ev.detail === undefined || ev.detail === null ? '' : JSON.stringify(ev.detail, null, 2);
  return `<li class="ev ${tone}"><span class="dot"></span>
<div class="row"><span class="time">${e(ev.at.slice(11, 23))}</span><span class="type">${e(ev.type)}</span>${badge}<span class="meta">#${ev.seq} · ${e(since)} · ${e(ev.actor)}</span></div>
<div class="summary">${e(summariseEvent(ev))}</div>${rules ? `<ul class="rules">${rules}</ul>` : ''}${json && json !== '{}' ? `<details><summary>detail</summary><pre>${e(json.length > 6000 ? `${json.slice(0, 6000)}\n…` : json)}</pre></details>` : ''}</li>`;
}

function timeline(groups: readonly PhaseGroup[], start: number): string {
  let previous = start;
  return groups
    .map((g) => {
      const items = g.events.map((ev) => {
        const html = eventItem(ev, previous);
        previous = Date.parse(ev.at);
        return html;
      });
      return `<h3 class="phase ${g.tone}">${e(phaseTitles[g.phase])}</h3><ul class="events">\n${items.join('\n')}\n</ul>`;
    })
    .join('\n');
}

/** The whole timeline, or one page of it with the links to the next page and back to the first. */
function timelineCard(input: TimelinePageInput, groups: readonly PhaseGroup[], start: number): string {
  const page = input.page;
  if (!page) return timeline(groups, start);
  const first = page.events[0];
  const last = page.events.at(-1);
  const previousAt = first ? Date.parse(input.events.findLast((ev) => ev.seq < first.seq)?.at ?? first.at) : start;
  const range = first && last ? `events #${first.seq}–#${last.seq} of ${input.events.length}` : `no events on this page of ${input.events.length}`;
  const links = [
    page.firstHref ? `<a class="page-link" href="${e(page.firstHref)}">first page</a>` : '',
    page.nextHref ? `<a class="page-link" rel="next" href="${e(page.nextHref)}">next page →</a>` : '',
  ].filter((l) => l !== '');
  const nav = `<nav class="pages"><span class="meta">${e(range)}</span>${links.length ? ` · ${links.join(' · ')}` : ''}</nav>`;
  return `${nav}\n${timeline(groupByPhase(page.events), previousAt)}\n${nav}`;
}

function planSection(diff: readonly DiffLine[], ops: Plan['totals'] | undefined): string {
  if (diff.length === 0) return '<p class="meta">No plan was recorded: the change ended before planning.</p>';
  const objects = objectTotalsOf(diff);
  const count = (n: number, cls: string, what: string) => `<span class="${n ? cls : 'none'}">${n} ${what}</span>`;
  // The words of the CLI's and the ticket's `Plan:` line (formatPlanTotals), each object count coloured.
  const restart = ops?.restart ? `, ${count(ops.restart, 'mod', 'to restart')}` : '';
  const carried = ops ? ` — ${e(formatOperations(ops))}` : '';
  const totals = `<p class="totals">${count(objects.add, 'add', objects.add === 1 ? 'object to add' : 'objects to add')}, ${count(objects.change, 'mod', 'to change')}, ${count(objects.remove, 'del', 'to destroy')}${restart}${carried}</p>`;
  const block = (title: string, lines: readonly DiffLine[]) => {
    if (lines.length === 0) return '';
    const rows = lines.map((d, i) => {
      const cls = d.sign === '+' ? 'add' : d.sign === '-' ? 'del' : 'mod';
      const sameObject = i > 0 && lines[i - 1]?.ref === d.ref;
      const attr = d.attribute ? `${d.attribute}: ${d.from ?? '∅'} → ${d.to ?? '∅'}` : '';
      if (sameObject && attr) return `<div class="${cls} attr">${e(attr)}</div>`;
      return `<div class="${cls}">${e(d.sign)} ${e(d.ref)}${attr ? `  ${e(attr)}` : ''}</div>`;
    });
    return `<h3 class="target">${e(title)}</h3><div class="diff">\n${rows.join('\n')}\n</div>`;
  };
  const apic = diff.filter((d) => d.ref.startsWith('uni/') || d.ref.startsWith('topology/'));
  const cluster = diff.filter((d) => !apic.includes(d));
  const lineCount = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
  return `${totals}${block(`APIC (${lineCount(apic.length)})`, apic)}${block(`Cluster (${lineCount(cluster.length)})`, cluster)}`;
}

/**
 * After ROLLBACK_FAILED the leases stay held and a person must act: say what, with the commands
 * spelled as `changeflow unlock` takes them and the runbook section to follow.
 */
function nextStepsBox(change: ChangeRecord, events: readonly AuditEvent[]): string {
  if (change.status !== 'ROLLBACK_FAILED') return '';
  const failed = events.findLast((ev) => ev.type.startsWith('rollback.') && toneOfEvent(ev) === 'bad');
  const targets = [`fabric#${change.targets.fabric}`, `cluster#${change.targets.cluster}`].map(typedTarget);
  return `<section class="next bad"><h2>What to do now</h2><ol>
<li>The rollback did not complete${failed ? ` (event #${failed.seq} ${e(failed.type)}${summariseEvent(failed) ? `: ${e(summariseEvent(failed))}` : ''})` : ''}: check both targets by hand against the plan's inverse operations below, and finish the rollback by hand.</li>
<li>The leases are still held so no other change touches them. Release them when the targets are safe:<pre>${targets.map((t) => e(`changeflow unlock ${t} --reason "…"`)).join('\n')}</pre></li>
<li>Follow <strong>docs/runbook.md, section 5 "ROLLBACK_FAILED: a human is needed"</strong>.</li>
</ol></section>`;
}

function workflowCard(workflow: TimelinePageInput['workflow']): string {
  const svg = workflow ? renderWorkflowGraph(workflow.definition, workflow.run) : undefined;
  if (!svg) return '';
  return `<section class="card graph"><h2>Workflow <span class="meta">the state machine as Step Functions runs it · <span class="key entered">this change's path</span> <span class="key failed">failed here</span> <span class="key rollback">rollback</span> · dashed: where a failure is caught</span></h2>
${svg}
</section>`;
}

/** A chain that no longer verifies is the first thing on the page, in red, before any detail. */
function tamperedBanner(chain: TimelinePageInput['chain'], changeId: string): string {
  if (chain.valid) return '';
  return `<div class="tampered" role="alert"><strong>⚠ AUDIT TRAIL TAMPERED — chain broken at event #${chain.firstBadSeq ?? '?'}</strong>
<span>${e(chain.problem ?? 'an event no longer matches the hash the next one recorded')}. What this page shows may have been altered after it was written: do not rely on it. Check with <code>${e(`changeflow audit verify ${changeId}`)}</code> and tell security (docs/runbook.md, section 4).</span></div>`;
}

export function renderTimelinePage(input: TimelinePageInput): string {
  const { change, events, diff = [], chain } = input;
  const start = events[0] ? Date.parse(events[0].at) : Date.parse(change.createdAt);
  const groups = groupByPhase(events);
  const tone = toneOfStatus(change.status);
  const total = events.length > 1 ? duration(changeDurationMs(change, events)) : '—';
  const ticket = `${systemNames[change.ticket.system] ?? change.ticket.system} ${change.ticket.number ?? (change.ticket.system === 'none' ? '' : change.ticket.key)}`.trim();
  const chainBadge = chain.valid
    ? `<span class="badge good">verified · ${events.length} events</span>`
    : `<span class="badge bad">BROKEN at event #${chain.firstBadSeq ?? '?'}</span>`;
  const reason = change.outcome?.reason;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(change.changeId)} · ${e(change.status)} · changeflow</title>
<style>${timelineStyle}</style></head><body>
<header><div class="eyebrow">changeflow · change timeline</div>
<h1>${e(change.changeId)} <span class="badge big ${tone}">${e(change.status)}</span></h1>
<div class="sub">${e(ticket)} · fabric ${e(change.targets.fabric)} · cluster ${e(change.targets.cluster)} · site ${e(change.targets.site)} · requested by ${e(change.requestedBy)}</div>${input.link ? `<div class="sub link">Read-only view through the signed link in the ticket; the link opens this page until ${e(readableTime(input.link.expiresAt))}.</div>` : ''}</header>
${tamperedBanner(chain, change.changeId)}
${stepper(stepsOf(groups, change.status), change.mode)}
<div class="outcome ${tone}"><strong>${e(change.status)}</strong>${reason ? ` — ${e(reason)}` : ''} <span class="meta">· ${e(total)} · audit chain ${chain.valid ? 'verified' : 'BROKEN'}</span></div>
${nextStepsBox(change, events)}
${controlBox(change, events, input.now)}
<div class="grid">
<section class="card"><h2>Timeline <span class="meta">${events.length} events · ${e(total)}</span></h2>
${timelineCard(input, groups, start)}
</section>
<div class="side">
<section class="card"><h2>Summary</h2><dl>
<dt>Status</dt><dd><span class="badge ${tone}">${e(change.status)}</span></dd>
<dt>Ticket</dt><dd>${e(ticket || '—')}</dd>
<dt>Mode</dt><dd>${e(change.mode)}</dd>
<dt>Source</dt><dd>${e(change.source)} · ${e(change.requestedBy)}</dd>
<dt>Started</dt><dd>${e(readableTime(change.createdAt))}</dd>
<dt>Last update</dt><dd>${e(readableTime(change.updatedAt))}</dd>
<dt>Duration</dt><dd>${e(total)}</dd>
<dt>Plan hash</dt><dd class="mono">${e(change.planHash ?? '—')}</dd>
<dt>Execution</dt><dd class="mono">${e(change.executionArn ?? '—')}</dd>
<dt>Audit chain</dt><dd>${chainBadge}</dd>
<dt>Anchor</dt><dd>${anchorLine(chain)}</dd>
</dl></section>
<section class="card"><h2>Plan</h2>
${planSection(diff, input.planTotals)}
</section>
</div>
</div>
${workflowCard(input.workflow)}
<footer>Rendered from the audit trail of ${e(change.changeId)}; each event's hash covers the one before it.</footer>
</body></html>
`;
}
