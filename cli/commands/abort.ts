import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { apiBase, callApi, errorMessage, exitCodeForRefusal, withApiOptions, type ApiOptions } from '../control-api.js';
import { ExitCode } from '../exit-codes.js';

// `changeflow abort ID --reason TEXT` (docs/architecture.md §3.7): before anything was applied the change
// ends ABORTED and its locks are released; while applying or verifying it rolls back and ends
// ROLLED_BACK "aborted by …". A change that has ended is refused (409, exit 6).

interface AbortOptions extends ApiOptions {
  reason: string;
  by?: string;
}

export function register(program: Command): void {
  withApiOptions(
    program
      .command('abort')
      .description('abort a running change: ABORTED before apply, rolled back after (exit 0, 3 bad input, 4 not found, 6 refused: already ended)')
      .argument('<id>', 'change id')
      .requiredOption('--reason <text>', 'why (recorded and written to the ticket)')
      .option('--by <name>', 'who aborts (default: your login name)'),
  ).action(async (id: string, opts: AbortOptions) => {
    process.exitCode = await abort(id, opts);
  });
}

async function abort(id: string, opts: AbortOptions): Promise<ExitCode> {
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const body = { by: opts.by?.trim() || userInfo().username, reason: opts.reason };
  const answer = await callApi(base, 'POST', `/changes/${encodeURIComponent(id)}/abort`, body);
  if (!answer) return ExitCode.failed;
  if (answer.status !== 202) {
    process.stderr.write(`abort refused: ${errorMessage(answer)}\n`);
    return exitCodeForRefusal(answer.status);
  }
  const effect = String(answer.body['effect'] ?? '');
  process.stdout.write(`abort of ${id} requested by ${body.by}: ${effect === 'roll back' ? 'it rolls back at its next step' : 'it ends ABORTED before anything is applied'} (follow it: changeflow watch ${id})\n`);
  return ExitCode.ok;
}
