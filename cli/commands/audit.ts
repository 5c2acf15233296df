import type { Command } from 'commander';
import { once } from 'node:events';
import { addTableOptions, type OpenStore, type TableOptions } from '../endpoints.js';
import { ExitCode } from '../exit-codes.js';

// `changeflow audit list|show|verify|export` (DESIGN.md §3.4): reads the change records and the
// hash-chained audit trail from the table of the local stack (endpoints.json) or of AWS.

export interface CommandIo {
  write(text: string): Promise<void>;
  error(text: string): void;
  readonly colour: boolean;
}

export const processIo: CommandIo = {
  // Exports can be large: wait for the pipe to drain instead of buffering the table in memory.
  write: async (text) => {
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  },
  error: (text) => void process.stderr.write(text),
  colour: process.stdout.isTTY === true && !process.env['NO_COLOR'],
};

interface ListOptions extends TableOptions {
  ticket?: string;
  target?: string;
  status?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

interface ExportOptions extends TableOptions {
  format: string;
  what: string;
  ticket?: string;
  target?: string;
  since?: string;
  until?: string;
}

export function register(program: Command): void {
  const audit = program.command('audit').description('query the audit trail: list, show ID, verify ID, export');

  addTableOptions(audit.command('list').description('list changes, newest first'))
    .option('--ticket <key>', 'ticket key, e.g. servicenow:CHG0030001 or OPS-12')
    .option('--target <target>', 'fabric:NAME or cluster:NAME')
    .option('--status <status>', 'change status, e.g. ROLLBACK_FAILED')
    .option('--since <iso>', 'created at or after (ISO 8601)')
    .option('--until <iso>', 'created at or before (ISO 8601)')
    .option('--limit <n>', 'changes per page (1–1000)', '50')
    .option('--cursor <cursor>', 'next page, as printed by the previous one')
    .option('--json', 'print {changes, nextCursor} as JSON')
    .action(async (opts: ListOptions) => {
      process.exitCode = await auditList(opts);
    });

  addTableOptions(audit.command('show').description('one change and its timeline').argument('<id>', 'change id'))
    .option('--json', 'print {change, events, verdict} as JSON')
    .action(async (id: string, opts: TableOptions & { json?: boolean }) => {
      process.exitCode = await auditShow(id, opts);
    });

  addTableOptions(audit.command('verify').description('recompute the hash chain of a change').argument('<id>', 'change id'))
    .action(async (id: string, opts: TableOptions) => {
      process.exitCode = await auditVerify(id, opts);
    });

  addTableOptions(audit.command('export').description('stream audit events (or change records) as JSONL or CSV'))
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--what <what>', 'events or changes', 'events')
    .option('--ticket <key>', 'only changes of this ticket')
    .option('--target <target>', 'only changes of fabric:NAME or cluster:NAME')
    .option('--since <iso>', 'changes created at or after (ISO 8601)')
    .option('--until <iso>', 'changes created at or before (ISO 8601)')
    .action(async (opts: ExportOptions) => {
      process.exitCode = await auditExport(opts);
    });
}

export async function auditList(opts: ListOptions, io: CommandIo = processIo): Promise<ExitCode> {
  return withStore(opts, io, async ({ store }) => {
    const { ChangeQuery, parseInput } = await import('../../shared/store/index.js');
    const { ticket, target, status, since, until } = opts;
    const query = parseInput(ChangeQuery, { ticket, target, status, since, until }, 'filter (--ticket, --target, --status, --since, --until)');
    const page = await store.changes.list(query, { limit: Number(opts.limit ?? 50), cursor: opts.cursor });
    const { renderChangeList } = await import('../audit-output.js');
    await io.write(opts.json ? `${JSON.stringify(page, null, 2)}\n` : renderChangeList(page.changes, page.nextCursor, io.colour));
    return ExitCode.ok;
  });
}

export async function auditShow(id: string, opts: TableOptions & { json?: boolean }, io: CommandIo = processIo): Promise<ExitCode> {
  return withStore(opts, io, async ({ store }) => {
    const { change, events } = await store.getChangeWithEvents(id);
    const verdict = await store.audit.verify(id);
    const { renderTimeline } = await import('../audit-output.js');
    await io.write(opts.json ? `${JSON.stringify({ change, events, verdict }, null, 2)}\n` : renderTimeline(change, events, verdict, io.colour));
    return ExitCode.ok;
  });
}

/** Prints `{changeId, valid, events, firstBadSeq?, problem?}`; exit 1 when the chain is broken. */
export async function auditVerify(id: string, opts: TableOptions, io: CommandIo = processIo): Promise<ExitCode> {
  return withStore(opts, io, async ({ store }) => {
    await store.changes.require(id);
    const verdict = await store.audit.verify(id);
    await io.write(`${JSON.stringify(verdict)}\n`);
    return verdict.valid ? ExitCode.ok : ExitCode.failed;
  });
}

export async function auditExport(opts: ExportOptions, io: CommandIo = processIo): Promise<ExitCode> {
  if (!['jsonl', 'csv'].includes(opts.format) || !['events', 'changes'].includes(opts.what)) {
    io.error(`expected --format jsonl|csv and --what events|changes, found --format ${opts.format} --what ${opts.what}\n`);
    return ExitCode.badInput;
  }
  return withStore(opts, io, async ({ store }) => {
    const { ticket, target, since, until } = opts;
    const lines = store.exportLines({ ticket, target, since, until }, opts.format as 'jsonl' | 'csv', opts.what as 'events' | 'changes');
    for await (const line of lines) await io.write(line);
    return ExitCode.ok;
  });
}

async function withStore(opts: TableOptions, io: CommandIo, run: (open: OpenStore) => Promise<ExitCode>): Promise<ExitCode> {
  const { openStore, describeUnreachable } = await import('../endpoints.js');
  let open: OpenStore | undefined;
  try {
    open = await openStore(opts);
    return await run(open);
  } catch (err) {
    const hint = open ? describeUnreachable(open.target, err) : undefined;
    if (hint) {
      io.error(`${hint}\n`);
      return ExitCode.failed;
    }
    if (err instanceof Error && err.name === 'InvalidInput') {
      const issues = (err as Error & { issues?: ReadonlyArray<{ path: string; message: string }> }).issues ?? [];
      io.error(`${[err.message, ...issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n')}\n`);
      return ExitCode.badInput;
    }
    if (err instanceof Error && err.name === 'ChangeNotFound') {
      io.error(`${err.message}\n`);
      return ExitCode.notFound;
    }
    if (err instanceof Error && (err.name === 'EndpointsUnreadable' || err.name === 'StoredItemInvalid')) {
      io.error(`${err.message}\n`);
      return ExitCode.failed;
    }
    throw err;
  } finally {
    open?.close();
  }
}
