import { canonicalJson } from '../canonical-json.js';
import type { AuditEvent } from './audit-event.js';
import type { ChangeRecord } from './change-record.js';

// Exports are async generators of lines: each row is written as soon as its page arrives, so an
// export never holds more than one page of the table in memory.
export type ExportFormat = 'jsonl' | 'csv';

export interface CsvColumn<T> {
  readonly name: string;
  readonly value: (row: T) => unknown;
}

export const eventColumns: readonly CsvColumn<AuditEvent>[] = [
  { name: 'changeId', value: (e) => e.changeId },
  { name: 'seq', value: (e) => e.seq },
  { name: 'at', value: (e) => e.at },
  { name: 'type', value: (e) => e.type },
  { name: 'status', value: (e) => e.status },
  { name: 'actor', value: (e) => e.actor },
  { name: 'detail', value: (e) => canonicalJson(e.detail) },
  { name: 'prevHash', value: (e) => e.prevHash },
  { name: 'hash', value: (e) => e.hash },
];

export const changeColumns: readonly CsvColumn<ChangeRecord>[] = [
  { name: 'changeId', value: (c) => c.changeId },
  { name: 'status', value: (c) => c.status },
  { name: 'createdAt', value: (c) => c.createdAt },
  { name: 'updatedAt', value: (c) => c.updatedAt },
  { name: 'ticketSystem', value: (c) => c.ticket.system },
  { name: 'ticketKey', value: (c) => c.ticket.key },
  { name: 'ticketNumber', value: (c) => c.ticket.number },
  { name: 'source', value: (c) => c.source },
  { name: 'site', value: (c) => c.targets.site },
  { name: 'fabric', value: (c) => c.targets.fabric },
  { name: 'cluster', value: (c) => c.targets.cluster },
  { name: 'requestedBy', value: (c) => c.requestedBy },
  { name: 'mode', value: (c) => c.mode },
  { name: 'executionArn', value: (c) => c.executionArn },
  { name: 'planHash', value: (c) => c.planHash },
  { name: 'summary', value: (c) => c.summary },
  { name: 'outcomeReason', value: (c) => c.outcome?.reason },
];

export async function* jsonLines<T>(rows: AsyncIterable<T>): AsyncGenerator<string> {
  for await (const row of rows) yield `${canonicalJson(row)}\n`;
}

/** RFC 4180: CRLF line ends, fields with a comma, quote or line break are quoted. */
export async function* csvLines<T>(rows: AsyncIterable<T>, columns: readonly CsvColumn<T>[]): AsyncGenerator<string> {
  yield `${columns.map((c) => csvField(c.name)).join(',')}\r\n`;
  for await (const row of rows) yield `${columns.map((c) => csvField(c.value(row))).join(',')}\r\n`;
}

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
