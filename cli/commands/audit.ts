import type { Command } from 'commander';
import { once } from 'node:events';
import { addTableOptions, type AnchorOptions, type OpenStore, type TableOptions } from '../endpoints.js';
import { ExitCode } from '../exit-codes.js';

// `changeflow audit list|show|verify|export` (docs/architecture.md §3.4): reads the change records and the
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

interface VerifyOptions extends TableOptions {
  all?: boolean;
  since?: string;
  anchorBucket?: string;
  anchorKey?: string;
}

/** Where `verify` finds the anchor on AWS; locally it is the data dir's audit-anchor/. */
function addAnchorOptions(command: Command): Command {
  return command
    .option('--anchor-bucket <name>', 'the audit anchor bucket (default: CHANGEFLOW_ANCHOR_BUCKET; locally the data dir)')
    .option('--anchor-key <arn>', 'the KMS key that signs anchor digests (default: CHANGEFLOW_ANCHOR_KMS_KEY_ID)');
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

  addTableOptions(audit.command('show').description('one change and its timeline, a page of events at a time').argument('<id>', 'change id'))
    .option('--limit <n>', `events per page (1–1000, default ${showPageSize})`)
    .option('--cursor <cursor>', 'next page, as printed by the previous one')
    .option('--json', 'print {change, events, verdict, nextCursor?} as JSON')
    .action(async (id: string, opts: ShowOptions) => {
      process.exitCode = await auditShow(id, opts);
    });

  addAnchorOptions(addTableOptions(audit.command('verify').description('recompute the hash chain of a change and compare it with the audit anchor').argument('[id]', 'change id')))
    .option('--all', 'every change the anchor or the table knows')
    .option('--since <iso>', 'with --all: changes created at or after (ISO 8601)')
    .action(async (id: string | undefined, opts: VerifyOptions) => {
      if (opts.all && !id) process.exitCode = await auditVerifyAll(opts);
      else if (id && !opts.all) process.exitCode = await auditVerify(id, opts);
      else {
        process.stderr.write('expected a change id or --all (not both)\n');
        process.exitCode = ExitCode.badInput;
      }
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

/** Events per page of `audit show` unless --limit says otherwise: a change at scale has hundreds. */
export const showPageSize = 200;

type ShowOptions = TableOptions & { json?: boolean; limit?: string; cursor?: string };

export async function auditShow(id: string, opts: ShowOptions, io: CommandIo = processIo): Promise<ExitCode> {
  return withStore(opts, io, async ({ store }) => {
    const { change, events: all } = await store.getChangeWithEvents(id);
    const verdict = await store.audit.verify(id);
    const page = await store.audit.eventPage(id, { limit: Number(opts.limit ?? showPageSize), cursor: opts.cursor });
    const { renderTimeline } = await import('../audit-output.js');
    const next = page.nextCursor ? `changeflow audit show ${id}${opts.limit ? ` --limit ${opts.limit}` : ''} --cursor ${page.nextCursor}` : undefined;
    await io.write(
      opts.json
        ? `${JSON.stringify({ change, events: page.events, verdict, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, null, 2)}\n`
        : renderTimeline(change, page.events, verdict, io.colour, { all, next }),
    );
    return ExitCode.ok;
  });
}

/**
 * Prints `{changeId, valid, events, firstBadSeq?, problem?, anchor?}`; exit 0 only when the chain
 * holds and, with an anchor, ends exactly at the newest anchored head; 1 otherwise, the reason
 * (naming the anchor digest) also on stderr.
 */
export async function auditVerify(id: string, opts: VerifyOptions, io: CommandIo = processIo): Promise<ExitCode> {
  return withStore(opts, io, async ({ store }) => {
    if (!store.anchor) {
      await store.changes.require(id);
      io.error(`no audit anchor found (no audit-anchor.pub.pem in ${opts.dataDir}, no --anchor-bucket): only the table's own chain was checked\n`);
    }
    const verdict = await store.audit.verify(id);
    if (verdict.anchor?.state === 'absent') {
      io.error(`no change ${id} in the table or in the anchor ${verdict.anchor.anchor}\n`);
      return ExitCode.notFound;
    }
    await io.write(`${JSON.stringify(verdict)}\n`);
    if (!verdict.valid) io.error(`audit verify ${id}: ${verdict.problem ?? 'the chain does not hold'}\n`);
    return verdict.valid ? ExitCode.ok : ExitCode.failed;
  });
}

/** `audit verify --all [--since T]`: every change the anchor lists, and every one the table lists. */
export async function auditVerifyAll(opts: VerifyOptions, io: CommandIo = processIo): Promise<ExitCode> {
  return withStore(opts, io, async ({ store }) => {
    const anchor = store.anchor;
    if (!anchor) {
      io.error(`audit verify --all compares the table with the audit anchor, and none was found (no audit-anchor.pub.pem in ${opts.dataDir}, no --anchor-bucket)\n`);
      return ExitCode.badInput;
    }
    const { ChangeQuery, parseInput } = await import('../../shared/store/index.js');
    const query = parseInput(ChangeQuery, { since: opts.since }, 'filter (--since)');
    const listed = await anchor.listChanges({ since: query.since });
    const ids = new Set(listed.changeIds);
    for await (const change of store.changes.iterate(query)) ids.add(change.changeId);
    let broken = listed.problems.length;
    for (const problem of listed.problems) io.error(`${problem}\n`);
    for (const id of [...ids].sort()) {
      const verdict = await store.audit.verify(id);
      await io.write(`${JSON.stringify(verdict)}\n`);
      if (!verdict.valid) {
        broken += 1;
        io.error(`audit verify ${id}: ${verdict.problem ?? 'the chain does not hold'}\n`);
      }
    }
    io.error(`${ids.size} changes checked against ${anchor.name}: ${broken === 0 ? 'all match' : `${broken} problem(s)`}\n`);
    return broken === 0 ? ExitCode.ok : ExitCode.failed;
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

/** Opens the table for one command and turns its errors into the exit codes of docs/architecture.md §3.4 (also `deliveries`). */
export async function withStore(opts: TableOptions & AnchorOptions, io: CommandIo, run: (open: OpenStore) => Promise<ExitCode>): Promise<ExitCode> {
  const { openStore, openAnchor, describeUnreachable } = await import('../endpoints.js');
  let open: OpenStore | undefined;
  try {
    open = await openStore({ ...opts, anchor: await openAnchor(opts) });
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
    if (err instanceof Error && ['EndpointsUnreadable', 'StoredItemInvalid', 'ConfigInvalid'].includes(err.name)) {
      io.error(`${err.message}\n`);
      return ExitCode.failed;
    }
    throw err;
  } finally {
    open?.close();
  }
}
