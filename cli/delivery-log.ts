import { styleText } from 'node:util';
import type { ChangeRecord, DeliveryOutcome } from '../shared/store/index.js';

// What `changeflow deliveries` prints: the webhook intake's log (shared/store/deliveries.ts), one
// line per recorded delivery, oldest first — when, from where, what intake did with it, which
// ticket and which change, and why.

export interface DeliveryRow {
  readonly outcome: DeliveryOutcome;
  /** The change the delivery started or was a duplicate of, when the table has it. */
  readonly change?: ChangeRecord;
}

const tones: Readonly<Record<DeliveryOutcome['outcome'], 'green' | 'yellow' | 'red' | 'gray'>> = {
  started: 'green',
  duplicate: 'yellow',
  ignored: 'gray',
  refused: 'red',
};

/** The ticket as people name it: the change's ticket number, else the ticket id inside the signed delivery key. */
export function deliveryTicket(row: DeliveryRow): string {
  const ticket = row.change?.ticket;
  if (ticket && ticket.system !== 'none') return `${ticket.system} ${ticket.number ?? ticket.key}`;
  const [system, id] = row.outcome.key.split(':');
  if (!id || id === 'unkeyed') return '-';
  return `${system} ${id}`;
}

export function renderDeliveryLog(rows: readonly DeliveryRow[], days: readonly string[], colour: boolean): string {
  const span = days.length === 1 ? days[0] : `${days[0]} … ${days[days.length - 1]}`;
  if (rows.length === 0) return `no deliveries recorded on ${span}\n`;
  const cells = [
    ['AT', 'SOURCE', 'OUTCOME', 'TICKET', 'CHANGE', 'REASON'],
    ...rows.map((r) => [r.outcome.at.slice(0, 19).replace('T', ' '), r.outcome.source, r.outcome.outcome, deliveryTicket(r), r.outcome.changeId ?? '-', r.outcome.reason ?? '']),
  ];
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length))) ?? [];
  const lines = cells.map((row, n) =>
    row
      .map((cell, i) => {
        const padded = i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
        const outcome = rows[n - 1]?.outcome.outcome;
        return n > 0 && i === 2 && colour && outcome ? padded.replace(cell, styleText(tones[outcome], cell)) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
  const counts = (['started', 'duplicate', 'ignored', 'refused'] as const).map((o) => `${rows.filter((r) => r.outcome.outcome === o).length} ${o}`).join(', ');
  return `${lines.join('\n')}\n${rows.length} deliveries on ${span}: ${counts}\n` +
    'Not listed: retries of a delivery already started (answered from its claim), deliveries refused before their signature was checked, and all but a sample of ignored ones — those are the WebhookDuplicate, WebhookUnauthenticated and WebhookIgnored metrics and log lines.\n';
}
