import { styleText } from 'node:util';
import { changeDurationMs, formatDuration } from '../shared/report/duration.js';
import { summariseEvent } from '../shared/report/event-summary.js';
import type { AuditEvent, ChainVerdict, ChangeRecord } from '../shared/store/index.js';

// What `changeflow audit list|show` prints for people: aligned columns, one line per change or
// per event, durations between events, colours only when asked (on a TTY).

const good = new Set(['SUCCEEDED', 'ROLLED_BACK', 'PLANNED']);
const bad = new Set(['FAILED', 'ROLLBACK_FAILED', 'REJECTED']);

export function paintStatus(status: string | undefined, colour: boolean): string {
  const text = status ?? '-';
  if (!colour || !status) return text;
  return styleText(good.has(status) ? 'green' : bad.has(status) ? 'red' : 'yellow', text);
}

export { formatDuration } from '../shared/report/duration.js';

function table(rows: string[][], colourColumn: number | undefined, colour: boolean): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((row, r) =>
    row
      .map((cell, i) => {
        const padded = i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
        return r > 0 && i === colourColumn ? padded.replace(cell, paintStatus(cell, colour)) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

function ticketText(change: ChangeRecord): string {
  return change.ticket.system === 'none' ? 'none' : `${change.ticket.system} ${change.ticket.number ?? change.ticket.key}`;
}

export function renderChangeList(changes: readonly ChangeRecord[], nextCursor: string | undefined, colour: boolean): string {
  if (changes.length === 0) return 'no changes match\n';
  const rows = [
    ['CREATED', 'CHANGE', 'STATUS', 'TICKET', 'FABRIC', 'CLUSTER', 'BY'],
    ...changes.map((c) => [c.createdAt, c.changeId, c.status, ticketText(c), c.targets.fabric, c.targets.cluster, c.requestedBy]),
  ];
  const more = nextCursor ? `; more with --cursor ${nextCursor}` : '';
  return `${table(rows, 2, colour).join('\n')}\n${changes.length} change${changes.length === 1 ? '' : 's'}${more}\n`;
}

/** The page's one-line summary of an event (evidence, reason, totals), kept to one terminal line. */
function detailCell(event: AuditEvent): string {
  const line = summariseEvent(event).replace(/\s+/g, ' ').trim();
  return line.length > detailWidth ? `${line.slice(0, detailWidth - 1)}…` : line || '-';
}
const detailWidth = 100;

/** One page of a long timeline: the whole trail (for `took`) and the command of the next page. */
export interface TimelinePage {
  readonly all: readonly AuditEvent[];
  readonly next?: string;
}

export function renderTimeline(change: ChangeRecord, events: readonly AuditEvent[], verdict: ChainVerdict, colour: boolean, page?: TimelinePage): string {
  const head = [
    `change ${change.changeId}  ${paintStatus(change.status, colour)}  (${change.mode})`,
    `ticket ${ticketText(change)}  source ${change.source}  requested by ${change.requestedBy}`,
    `targets site ${change.targets.site}  fabric ${change.targets.fabric}  cluster ${change.targets.cluster}`,
    `created ${change.createdAt}  updated ${change.updatedAt}  took ${formatDuration(changeDurationMs(change, page?.all ?? events))}`,
    ...(change.executionArn ? [`execution ${change.executionArn}`] : []),
    ...(change.planHash ? [`plan ${change.planHash}`] : []),
    ...(change.outcome?.reason ? [`outcome ${change.outcome.reason}`] : []),
    '',
  ];
  const rows = [
    ['SEQ', 'TIME', 'SINCE PREV', 'STEP', 'STATUS', 'ACTOR', 'DETAIL'],
    ...events.map((e, i) => {
      const prev = events[i - 1];
      const since = prev ? `+${formatDuration(Date.parse(e.at) - Date.parse(prev.at))}` : '-';
      return [String(e.seq), e.at, since, e.type, e.status ?? '-', e.actor, detailCell(e)];
    }),
  ];
  const anchored = verdict.anchor?.state === 'matched' && verdict.anchor.head ? `; matches anchor seq ${verdict.anchor.head.seq} (${verdict.anchor.anchor})` : '';
  const chain = verdict.valid
    ? `chain intact (${verdict.events} events${anchored})`
    : `chain BROKEN at event ${verdict.firstBadSeq}: ${verdict.problem ?? 'see audit verify'}`;
  const chainLine = colour ? styleText(verdict.valid ? 'green' : 'red', chain) : chain;
  const first = events[0];
  const last = events.at(-1);
  const pageLines = page && first && last && (page.next || events.length < page.all.length)
    ? ['', `events ${first.seq}–${last.seq} of ${page.all.length}${page.next ? `; next page: ${page.next}` : ' (last page)'}`]
    : [];
  return `${[...head, ...(events.length > 0 ? table(rows, 4, colour) : ['no events recorded']), ...pageLines, '', chainLine].join('\n')}\n`;
}
