import type { Command } from 'commander';
import { userInfo } from 'node:os';
import * as z from '../../shared/zod.js';
import { apiBase, callApi, errorMessage, exitCodeForRefusal, withApiOptions, type ApiOptions } from '../control-api.js';
import { ExitCode } from '../exit-codes.js';
import { ask } from '../prompt.js';

// `changeflow approve ID [--plan-hash H] [--yes]` (docs/architecture.md §3.7): shows the plan that is waiting
// and, once confirmed, approves exactly that plan hash. A plan hash that is not the waiting one is
// refused by the API (409, exit 6) and nothing happens. The re-check before apply still runs.

interface ApproveOptions extends ApiOptions {
  planHash?: string;
  yes?: boolean;
  by?: string;
  comment?: string;
}

const Waiting = z.looseObject({ change: z.looseObject({ status: z.string(), planHash: z.optional(z.string()) }) });
const Events = z.looseObject({ events: z.array(z.looseObject({ type: z.string(), detail: z.json() })) });

export function register(program: Command): void {
  withApiOptions(
    program
      .command('approve')
      .description('approve the plan a change is waiting with (exit 0 approved, 3 bad input, 4 not found, 6 refused: wrong hash, not waiting or ended)')
      .argument('<id>', 'change id')
      .option('--plan-hash <hash>', 'the plan hash you reviewed (default: the one waiting, after showing it)')
      .option('--yes', 'approve without asking')
      .option('--by <name>', 'who approves (default: your login name)')
      .option('--comment <text>', 'recorded with the approval'),
  ).action(async (id: string, opts: ApproveOptions) => {
    process.exitCode = await approve(id, opts);
  });
}

async function approve(id: string, opts: ApproveOptions): Promise<ExitCode> {
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const path = `/changes/${encodeURIComponent(id)}`;
  const got = await callApi(base, 'GET', path);
  if (!got) return ExitCode.failed;
  if (got.status !== 200) {
    process.stderr.write(`cannot read change ${id}: ${errorMessage(got)}\n`);
    return exitCodeForRefusal(got.status);
  }
  const { change } = Waiting.parse(got.body);
  const planHash = opts.planHash ?? change.planHash;
  if (!opts.yes) {
    if (change.status !== 'AWAITING_APPROVAL') {
      process.stderr.write(`change ${id} is ${change.status}, not waiting for an approval\n`);
      return ExitCode.refused;
    }
    await showPlan(base, path);
    if (process.stdin.isTTY !== true) {
      process.stderr.write('approving asks for confirmation after showing the plan, and there is no terminal to ask on; pass --yes (with --plan-hash to pin what you reviewed)\n');
      return ExitCode.badInput;
    }
    const answer = await ask(process.stdin, `Approve plan ${planHash ?? '?'} of ${id}? Only "yes" is accepted: `);
    if (answer.trim() !== 'yes') {
      process.stdout.write('not approved; the change keeps waiting\n');
      return ExitCode.rejected;
    }
  }
  if (!planHash) {
    process.stderr.write(`change ${id} has no plan yet; nothing to approve\n`);
    return ExitCode.refused;
  }
  const body = { planHash, by: opts.by?.trim() || userInfo().username, ...(opts.comment ? { comment: opts.comment } : {}) };
  const answer = await callApi(base, 'POST', `${path}/approve`, body);
  if (!answer) return ExitCode.failed;
  if (answer.status !== 202) {
    process.stderr.write(`approval refused: ${errorMessage(answer)}\n`);
    return exitCodeForRefusal(answer.status);
  }
  process.stdout.write(`approved plan ${planHash} of ${id} as ${body.by}; the re-check runs next, then the apply (follow it: changeflow watch ${id})\n`);
  return ExitCode.ok;
}

async function showPlan(base: string, path: string): Promise<void> {
  const [{ createEventDetailer }, got] = await Promise.all([import('../event-details.js'), callApi(base, 'GET', `${path}/events`)]);
  const events = got?.status === 200 ? Events.safeParse(got.body) : undefined;
  const plan = events?.success ? events.data.events.findLast((e) => e.type === 'plan.created') : undefined;
  if (!plan) return;
  const lines = createEventDetailer()({ type: plan.type, detail: plan.detail });
  process.stdout.write(`${lines.map((l) => l.replace(/^ {4}/, '')).join('\n')}\n`);
}
