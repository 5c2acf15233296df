import type { Command } from 'commander';
import { styleText } from 'node:util';
import { apiFetch } from '../api-signing.js';
import { apiBase, withApiOptions, type ApiOptions } from '../control-api.js';
import { ExitCode } from '../exit-codes.js';

// `changeflow status ID` (one screen, now) and `changeflow watch ID` (follow it live from anywhere),
// both over the HTTP API of the local stack (endpoints.json) or of AWS (--api).

interface StatusOptions extends ApiOptions {
  json?: boolean;
  timeout?: string;
}

export function register(program: Command): void {
  withApiOptions(program.command('status').description('one change now: status, step, who, when, what is next; exit 0 ok or running, 1 failed, 2 rejected, 4 not found, 5 rollback failed').argument('<id>', 'change id'))
    .option('--json', 'print {change, events, final} as JSON')
    .action(async (id: string, opts: StatusOptions) => {
      process.exitCode = await showStatus(id, opts);
    });
  withApiOptions(program.command('watch').description('follow a running change live until it ends (Ctrl-C stops following, not the change)').argument('<id>', 'change id'))
    .option('--timeout <seconds>', 'give up after this long', '7200')
    .option('--json', 'print the final change as JSON')
    .action(async (id: string, opts: StatusOptions) => {
      process.exitCode = await watch(id, opts);
    });
}

export async function showStatus(id: string, opts: StatusOptions): Promise<ExitCode> {
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const [{ readChange, exitCodeForStatus }, { renderChangeScreen }, { isFinalStatus }] = await Promise.all([
    import('../change-watch.js'),
    import('../change-screen.js'),
    import('../../shared/store/index.js'),
  ]);
  let got: Awaited<ReturnType<typeof readChange>>;
  try {
    got = await readChange({ fetch: apiFetch }, base, id);
  } catch (err) {
    process.stderr.write(`cannot read change ${id} from ${base}: ${String((err as Error).cause ?? (err as Error).message)}\n`);
    return ExitCode.failed;
  }
  if (!got) {
    process.stderr.write(`no change ${id} at ${base}; list them with \`changeflow audit list\`\n`);
    return ExitCode.notFound;
  }
  const final = isFinalStatus(got.change.status, got.change.mode);
  const { change, events, progress } = got;
  if (opts.json) process.stdout.write(`${JSON.stringify({ change, events, final, ...(progress ? { progress } : {}) }, null, 2)}\n`);
  else process.stdout.write(renderChangeScreen({ change, events, final, api: base, now: Date.now(), progress }));
  return final ? exitCodeForStatus(change.status) : ExitCode.ok;
}

async function watch(id: string, opts: StatusOptions): Promise<ExitCode> {
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const timeoutSeconds = Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    process.stderr.write(`expected --timeout in seconds (a positive number), found "${opts.timeout}"\n`);
    return ExitCode.badInput;
  }
  const { readChange } = await import('../change-watch.js');
  const first = await readChange({ fetch: apiFetch }, base, id).catch((err: unknown) => {
    process.stderr.write(`cannot read change ${id} from ${base}: ${String((err as Error).cause ?? (err as Error).message)}\n`);
    return null;
  });
  if (first === null) return ExitCode.failed;
  if (first === undefined) {
    process.stderr.write(`no change ${id} at ${base}; list them with \`changeflow audit list\`\n`);
    return ExitCode.notFound;
  }
  const tty = process.stdout.isTTY === true && !opts.json;
  const { followChange } = await import('../follow.js');
  return followChange(base, id, { timeoutSeconds, json: opts.json === true }, {
    startedAt: Date.now(),
    tty,
    paint: (colour, text) => (tty ? styleText(colour, text) : text),
    say: (line) => process.stdout.write(`${line}\n`),
    complain: (line) => process.stderr.write(`${line}\n`),
  });
}
