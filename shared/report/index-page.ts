import { ChangeStatus } from '../store/statuses.js';
import type { ChangeRecord } from '../store/change-record.js';
import { escapeHtml as e } from './html.js';
import { toneOfStatus } from './timeline-phases.js';
import { timelineStyle } from './timeline-style.js';

// The site's front page (`/`, and `/changes` in a browser): every change, newest first, with
// filters by status, ticket, target and time that are plain GET parameters of the API's own
// listing — so a filtered view is a link one can paste into a ticket. No scripts.

export interface IndexFilters {
  readonly status?: string;
  readonly ticket?: string;
  readonly target?: string;
  readonly since?: string;
  readonly until?: string;
}

export interface ChangeIndexInput {
  readonly changes: readonly ChangeRecord[];
  readonly filters: IndexFilters;
  /** Where the next page starts, when there is one. */
  readonly nextCursor?: string;
  /** A filter the API refused, said in words, with nothing listed. */
  readonly problem?: string;
}

const indexStyle = `${timelineStyle}
form.filters{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:end;margin:0 0 14px}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#57606a;gap:3px}
form.filters input,form.filters select{font:13px system-ui,sans-serif;padding:5px 8px;border:1px solid #d0d7de;border-radius:6px;min-width:150px}
form.filters button{font:600 13px system-ui,sans-serif;padding:6px 16px;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff}
form.filters a{font-size:13px;align-self:center}
table.changes{width:100%;border-collapse:collapse;font-size:13px}
table.changes th{text-align:left;color:#57606a;font-weight:600;border-bottom:2px solid #d8dee4;padding:6px 8px}
table.changes td{border-bottom:1px solid #eaeef2;padding:6px 8px;vertical-align:top;overflow-wrap:anywhere}
table.changes a{color:#0969da;text-decoration:none;font-weight:600}
.problem{background:#ffebe9;border-left:5px solid #cf222e;padding:10px 14px;border-radius:6px;margin:0 0 14px}
.wide{padding:18px 32px 32px}
`;

const ticketText = (c: ChangeRecord) => (c.ticket.system === 'none' ? '—' : `${c.ticket.system} ${c.ticket.number ?? c.ticket.key}`);
const readable = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;

function filterForm(f: IndexFilters): string {
  const options = ['', ...ChangeStatus.options].map((s) => `<option value="${e(s)}"${s === (f.status ?? '') ? ' selected' : ''}>${e(s || 'any status')}</option>`).join('');
  const field = (name: keyof IndexFilters, label: string, placeholder: string) =>
    `<label>${e(label)}<input name="${name}" value="${e(f[name] ?? '')}" placeholder="${e(placeholder)}"></label>`;
  return `<form class="filters" method="get" action="/changes">
<label>Status<select name="status">${options}</select></label>
${field('ticket', 'Ticket', 'CHG0030001 or NETCHG-1')}
${field('target', 'Target', 'fabric:dc1-aci or cluster:prod-a')}
${field('since', 'Since (UTC)', '2026-12-01T00:00:00Z')}
${field('until', 'Until (UTC)', '2026-12-31T23:59:59Z')}
<button type="submit">Filter</button> <a href="/changes">clear</a>
</form>`;
}

export function renderChangeIndex(input: ChangeIndexInput): string {
  const { changes, filters } = input;
  const rows = changes.map(
    (c) => `<tr class="change"><td class="mono">${e(readable(c.createdAt))}</td><td><a href="/changes/${encodeURIComponent(c.changeId)}">${e(c.changeId)}</a></td>` +
      `<td><span class="badge ${toneOfStatus(c.status)}">${e(c.status)}</span></td><td>${e(ticketText(c))}</td><td>fabric ${e(c.targets.fabric)} · cluster ${e(c.targets.cluster)}</td>` +
      `<td>${e(c.mode)}</td><td>${e(c.requestedBy)}</td></tr>`,
  );
  const query = new URLSearchParams(Object.entries(filters).filter((kv): kv is [string, string] => typeof kv[1] === 'string' && kv[1] !== ''));
  const more = input.nextCursor ? `<p><a href="/changes?${e(new URLSearchParams([...query, ['cursor', input.nextCursor]]).toString())}">older changes →</a></p>` : '';
  const active = [...query].map(([k, v]) => `${k} ${v}`).join(' · ');
  const body = input.problem
    ? `<p class="problem">${e(input.problem)}</p>`
    : changes.length === 0
      ? `<p class="meta">No change matches${active ? ` ${e(active)}` : ''}.</p>`
      : `<table class="changes"><thead><tr><th>Created (UTC)</th><th>Change</th><th>Status</th><th>Ticket</th><th>Targets</th><th>Mode</th><th>Requested by</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>${more}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Changes · changeflow</title>
<style>${indexStyle}</style></head><body>
<header><div class="eyebrow">changeflow</div>
<h1>Changes</h1>
<div class="sub">${changes.length} shown, newest first${active ? ` · ${e(active)}` : ''}</div></header>
<div class="wide"><section class="card">
${filterForm(filters)}
${body}
</section></div>
<footer>Each change links to its timeline; the same list as JSON is GET /changes with Accept: application/json.</footer>
</body></html>
`;
}
