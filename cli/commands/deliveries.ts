import type { Command } from 'commander';
import { addTableOptions, type TableOptions } from '../endpoints.js';
import { ExitCode } from '../exit-codes.js';
import { processIo, withStore, type CommandIo } from './audit.js';

// `changeflow deliveries`: the webhook delivery log — which deliveries came, what intake did with
// each (started, duplicate, ignored, refused), when, for which ticket and which change. Read from
// the table like `audit`, day by day through the byDay index (docs/runbook.md §6).

export interface DeliveriesOptions extends TableOptions {
  day?: string;
  since?: string;
  outcome?: string;
  ticket?: string;
  json?: boolean;
}

const outcomes = ['started', 'duplicate', 'ignored', 'refused'] as const;
/** A month of days is 31 queries: enough to look back on an incident, few enough to stay quick. */
const maxDays = 31;

export function register(program: Command): void {
  addTableOptions(program.command('deliveries').description('the webhook delivery log: started, duplicate, ignored, refused — when, which ticket, which change'))
    .option('--day <YYYY-MM-DD>', 'one UTC day (default: today)')
    .option('--since <YYYY-MM-DD>', `every day from this one to today (at most ${maxDays})`)
    .option('--outcome <outcome>', outcomes.join('|'))
    .option('--ticket <text>', 'only deliveries whose ticket or change contains this (e.g. CHG0030012, OPS-12)')
    .option('--json', 'print the records as JSON, with the change each one names')
    .action(async (opts: DeliveriesOptions) => {
      process.exitCode = await listDeliveries(opts);
    });
}

export async function listDeliveries(opts: DeliveriesOptions, io: CommandIo = processIo, now: Date = new Date()): Promise<ExitCode> {
  const days = daysOf(opts, now);
  if (typeof days === 'string') {
    io.error(`${days}\n`);
    return ExitCode.badInput;
  }
  if (opts.outcome !== undefined && !(outcomes as readonly string[]).includes(opts.outcome)) {
    io.error(`--outcome must be one of ${outcomes.join(', ')}, found "${opts.outcome}"\n`);
    return ExitCode.badInput;
  }
  return withStore(opts, io, async ({ store }) => {
    const { deliveryTicket, renderDeliveryLog } = await import('../delivery-log.js');
    const records = (await Promise.all(days.map((d) => store.deliveries.listDeliveryOutcomesOfDay(d)))).flat();
    const changes = new Map(
      await Promise.all([...new Set(records.flatMap((r) => (r.changeId ? [r.changeId] : [])))].map(async (id) => [id, await store.changes.get(id)] as const)),
    );
    const needle = opts.ticket?.toLowerCase();
    const rows = records
      .map((outcome) => ({ outcome, change: outcome.changeId ? changes.get(outcome.changeId) : undefined }))
      .filter((r) => opts.outcome === undefined || r.outcome.outcome === opts.outcome)
      .filter((r) => needle === undefined || `${deliveryTicket(r)} ${r.outcome.changeId ?? ''} ${r.outcome.key}`.toLowerCase().includes(needle));
    if (opts.json) {
      await io.write(`${JSON.stringify({ days, deliveries: rows.map((r) => ({ ...r.outcome, ticket: deliveryTicket(r), changeStatus: r.change?.status })) }, null, 2)}\n`);
    } else {
      await io.write(renderDeliveryLog(rows, days, io.colour));
    }
    return ExitCode.ok;
  });
}

/** The UTC days to read, oldest first, or why the flags do not name any. */
function daysOf(opts: DeliveriesOptions, now: Date): string[] | string {
  const today = now.toISOString().slice(0, 10);
  // Date.parse rolls 2026-02-30 over to March; a day is valid only if it reads back the same.
  const isDay = (d: string) => /^\d{4}-\d\d-\d\d$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(Date.parse(`${d}T00:00:00Z`)).toISOString().slice(0, 10) === d;
  if (opts.day !== undefined && opts.since !== undefined) return 'expected --day or --since, not both';
  if (opts.day !== undefined) return isDay(opts.day) ? [opts.day] : `--day expects a UTC day as YYYY-MM-DD, found "${opts.day}"`;
  if (opts.since === undefined) return [today];
  if (!isDay(opts.since)) return `--since expects a UTC day as YYYY-MM-DD, found "${opts.since}"`;
  if (opts.since > today) return `--since ${opts.since} is after today (${today})`;
  const days: string[] = [];
  for (let t = Date.parse(`${opts.since}T00:00:00Z`); t <= Date.parse(`${today}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days.length <= maxDays ? days : `--since ${opts.since} spans ${days.length} days; at most ${maxDays} (use --day for one further back)`;
}
