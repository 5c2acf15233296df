import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { apiBase, callApi, errorMessage, exitCodeForRefusal, withApiOptions, type ApiOptions } from '../control-api.js';
import { ExitCode } from '../exit-codes.js';

// `changeflow freeze add|list|remove` (docs/architecture.md §3.7): the freeze calendar over the HTTP API.
// While a freeze covers a fabric or cluster, changes to it are REJECTED before anything is
// applied; plan-only changes still run and say the apply would be blocked.

interface AddOptions extends ApiOptions {
  target: string;
  from: string;
  to: string;
  reason: string;
  by?: string;
  json?: boolean;
}

interface ListOptions extends ApiOptions {
  json?: boolean;
}

interface RemoveOptions extends ApiOptions {
  by?: string;
}

interface FreezeView {
  id: string;
  target: string;
  from: string;
  to: string;
  reason: string;
  by: string;
}

export function register(program: Command): void {
  const freeze = program.command('freeze').description('the freeze calendar: no change is applied to a frozen fabric or cluster (exit 0 ok, 3 bad input, 4 not found)');
  withApiOptions(
    freeze
      .command('add')
      .description('freeze a target for a time range')
      .requiredOption('--target <target>', 'fabric:NAME, cluster:NAME (or fabric#NAME) or * for every target')
      .requiredOption('--from <iso>', 'start, ISO 8601 (e.g. 2026-12-20T00:00:00Z)')
      .requiredOption('--to <iso>', 'end, ISO 8601')
      .requiredOption('--reason <text>', 'why (shown to whoever is refused)')
      .option('--by <name>', 'who freezes it (default: your login name)')
      .option('--json', 'print {freeze} as JSON'),
  ).action(async (opts: AddOptions) => {
    process.exitCode = await addFreeze(opts);
  });
  withApiOptions(freeze.command('list').description('every freeze, with whether it is in force now').option('--json', 'print {freezes} as JSON')).action(
    async (opts: ListOptions) => {
      process.exitCode = await listFreezes(opts);
    },
  );
  withApiOptions(freeze.command('remove').description('lift a freeze (recorded in the audit trail)').argument('<id>', 'freeze id (frz-…)').option('--by <name>', 'who lifts it (default: your login name)')).action(
    async (id: string, opts: RemoveOptions) => {
      process.exitCode = await removeFreeze(id, opts);
    },
  );
}

async function addFreeze(opts: AddOptions): Promise<ExitCode> {
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const body = { target: opts.target, from: opts.from, to: opts.to, reason: opts.reason, by: opts.by?.trim() || userInfo().username };
  const answer = await callApi(base, 'POST', '/freezes', body);
  if (!answer) return ExitCode.failed;
  if (answer.status !== 201) {
    process.stderr.write(`freeze refused: ${errorMessage(answer)}\n`);
    return exitCodeForRefusal(answer.status);
  }
  const created = answer.body['freeze'] as FreezeView;
  process.stdout.write(opts.json ? `${JSON.stringify({ freeze: created }, null, 2)}\n` : `added ${line(created, new Date())}\n`);
  return ExitCode.ok;
}

async function listFreezes(opts: ListOptions): Promise<ExitCode> {
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const answer = await callApi(base, 'GET', '/freezes');
  if (!answer) return ExitCode.failed;
  if (answer.status !== 200) {
    process.stderr.write(`cannot list freezes: ${errorMessage(answer)}\n`);
    return exitCodeForRefusal(answer.status);
  }
  const freezes = answer.body['freezes'] as FreezeView[];
  if (opts.json) process.stdout.write(`${JSON.stringify({ freezes }, null, 2)}\n`);
  else if (freezes.length === 0) process.stdout.write('no freezes\n');
  else {
    const now = new Date();
    process.stdout.write(freezes.map((f) => `${line(f, now)}\n`).join(''));
  }
  return ExitCode.ok;
}

async function removeFreeze(id: string, opts: RemoveOptions): Promise<ExitCode> {
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const by = opts.by?.trim() || userInfo().username;
  const answer = await callApi(base, 'DELETE', `/freezes/${encodeURIComponent(id)}?by=${encodeURIComponent(by)}`);
  if (!answer) return ExitCode.failed;
  if (answer.status !== 204) {
    process.stderr.write(`cannot remove ${id}: ${errorMessage(answer)}\n`);
    return exitCodeForRefusal(answer.status);
  }
  process.stdout.write(`removed ${id}\n`);
  return ExitCode.ok;
}

function line(f: FreezeView, now: Date): string {
  const at = now.getTime();
  const state = at < Date.parse(f.from) ? 'upcoming' : at < Date.parse(f.to) ? 'IN FORCE' : 'ended';
  return `${f.id}  ${state.padEnd(8)}  ${f.target.padEnd(22)}  ${f.from} → ${f.to}  ${f.reason} (by ${f.by})`;
}
