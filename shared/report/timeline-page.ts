import type { DiffLine } from '../plan/plan-op.js';
import type { AuditEvent } from '../store/audit-event.js';
import type { ChangeRecord } from '../store/change-record.js';
import { escapeHtml as e } from './html.js';

// The page a change manager opens from the ticket: what happened, when, how it ended, what the
// plan changed, and whether the audit chain still verifies. Self-contained HTML, no scripts.

export interface TimelinePageInput {
  readonly change: ChangeRecord;
  readonly events: readonly AuditEvent[];
  readonly diff?: readonly DiffLine[];
  readonly chain: { readonly valid: boolean; readonly firstBadSeq?: number };
}

type Tone = 'good' | 'bad' | 'warn' | 'info';

export function toneOfStatus(status: string | undefined): Tone {
  if (status === undefined) return 'info';
  if (['SUCCEEDED', 'PLANNED', 'ROLLED_BACK'].includes(status)) return status === 'ROLLED_BACK' ? 'warn' : 'good';
  if (['FAILED', 'ROLLBACK_FAILED', 'REJECTED'].includes(status)) return 'bad';
  if (status === 'ROLLING_BACK') return 'warn';
  return 'info';
}

export function toneOfEvent(event: AuditEvent): Tone {
  if (/\.(failed|refused|timeout|mismatch)$/.test(event.type) || /^precheck\.failed/.test(event.type)) return 'bad';
  if (/^rollback\./.test(event.type)) return 'warn';
  if (/\.(succeeded|passed|verified|applied|established|released)$/.test(event.type)) return 'good';
  return toneOfStatus(event.status);
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function detailSummary(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  const text = JSON.stringify(detail);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

export function renderTimelinePage(input: TimelinePageInput): string {
  const { change, events, diff = [], chain } = input;
  const start = events[0] ? Date.parse(events[0].at) : Date.parse(change.createdAt);
  const rows = events
    .map((ev, i) => {
      const prev = i > 0 ? Date.parse(events[i - 1]?.at ?? ev.at) : start;
      const took = duration(Math.max(0, Date.parse(ev.at) - prev));
      return `<li class="ev ${toneOfEvent(ev)}"><div class="dot"></div><div class="body">
<div class="head"><span class="type">${e(ev.type)}</span>${ev.status ? `<span class="badge ${toneOfStatus(ev.status)}">${e(ev.status)}</span>` : ''}<span class="meta">#${ev.seq} · ${e(ev.at)} · +${e(took)} · ${e(ev.actor)}</span></div>
<div class="detail">${e(detailSummary(ev.detail))}</div></div></li>`;
    })
    .join('\n');
  const diffRows = diff
    .map((d) => {
      const cls = d.sign === '+' ? 'add' : d.sign === '-' ? 'del' : 'mod';
      const attr = d.attribute ? `  ${e(d.attribute)}: ${e(d.from ?? '∅')} → ${e(d.to ?? '∅')}` : '';
      return `<div class="${cls}">${e(d.sign)} ${e(d.ref)}${attr}</div>`;
    })
    .join('\n');
  const total = events.length > 1 ? duration(Date.parse(events[events.length - 1]?.at ?? change.updatedAt) - start) : '—';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(change.changeId)} · ${e(change.status)} · changeflow</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:18px 28px}
header h1{margin:0 0 6px;font-size:20px}
.grid{display:flex;gap:28px;padding:20px 28px;flex-wrap:wrap}
.card{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:16px 20px;flex:1;min-width:420px}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600;margin-left:8px}
.good{--c:#1f9d55}.bad{--c:#d64545}.warn{--c:#e08a00}.info{--c:#5b6b8c}
.badge{background:var(--c);color:#fff}
ul.timeline{list-style:none;margin:0;padding:0 0 0 14px;border-left:3px solid #d9dde5}
li.ev{position:relative;margin:0 0 14px 0;padding-left:16px}
li.ev .dot{position:absolute;left:-23px;top:4px;width:14px;height:14px;border-radius:50%;background:var(--c);border:2px solid #fff}
.head .type{font-weight:600}.meta{color:#6b778c;font-size:12px;margin-left:10px}
.detail{font-family:ui-monospace,monospace;font-size:12px;color:#38415a;word-break:break-all}
.diff{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap}
.add{color:#1f9d55}.del{color:#d64545}.mod{color:#b07100}
dl{display:grid;grid-template-columns:max-content auto;gap:4px 14px;margin:0}dt{color:#6b778c}
</style></head><body>
<header><h1>Change ${e(change.changeId)} <span class="badge ${toneOfStatus(change.status)}">${e(change.status)}</span></h1>
<div>${e(change.ticket.system)} ${e(change.ticket.number ?? change.ticket.key ?? '')} · ${e(change.targets.fabric)} / ${e(change.targets.cluster)} (site ${e(change.targets.site)}) · requested by ${e(change.requestedBy)}</div></header>
<div class="grid">
<section class="card"><h2>Timeline</h2><ul class="timeline">
${rows}
</ul></section>
<section class="card"><h2>Summary</h2><dl>
<dt>Status</dt><dd><span class="badge ${toneOfStatus(change.status)}">${e(change.status)}</span></dd>
<dt>Mode</dt><dd>${e(change.mode)}</dd>
<dt>Created</dt><dd>${e(change.createdAt)}</dd>
<dt>Duration</dt><dd>${e(total)}</dd>
<dt>Plan hash</dt><dd class="detail">${e(change.planHash ?? '—')}</dd>
<dt>Execution</dt><dd class="detail">${e(change.executionArn ?? '—')}</dd>
<dt>Audit chain</dt><dd>${chain.valid ? `<span class="badge good">verified · ${events.length} events</span>` : `<span class="badge bad">broken at event #${chain.firstBadSeq ?? '?'}</span>`}</dd>
</dl>
<h2>Plan</h2><div class="diff">${diffRows || '<span class="meta">no plan recorded</span>'}</div></section>
</div></body></html>
`;
}
