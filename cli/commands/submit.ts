import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { styleText } from 'node:util';
import { apiFetch } from '../api-signing.js';
import { ExitCode, exitCodeHelp } from '../exit-codes.js';

// `changeflow submit FILE [--api URL] [--wait]`: posts a ticket (signed like ServiceNow or Jira
// would) or a ChangeSpec/ChangeRequest (manual start), then with --wait follows the change to its
// end. Exit codes (exit-codes.ts): 0 ok, 1 failed/rolled back, 2 rejected or ignored, 3 bad input,
// 4 gave up waiting, 5 rollback failed.

interface SubmitOptions {
  api?: string;
  wait?: boolean;
  dataDir: string;
  json?: boolean;
  idempotencyKey?: string;
  timeout: string;
  by?: string;
  yes?: boolean;
}

const secretEnv = 'CHANGEFLOW_WEBHOOK_SECRET';

export function register(program: Command): void {
  program
    .command('submit')
    .description(`sign and post a ticket (ServiceNow/Jira JSON) or post a ChangeSpec as a manual change; ${exitCodeHelp}`)
    .argument('<file>', 'ServiceNow change_request JSON, Jira webhook JSON, ChangeSpec YAML/JSON or ChangeRequest JSON')
    .option('--api <url>', 'changeflow API (default: "api" in <data-dir>/endpoints.json)')
    .option('--wait', 'follow the change: one line per audit event, then the outcome and the audit link')
    .option('--data-dir <dir>', 'local stack directory holding endpoints.json', '.changeflow')
    .option('--json', 'print the reply (or, with --wait, the final change) as JSON')
    .option('--idempotency-key <key>', 'manual starts: the same key is the same change; a new key runs an identical spec again')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '7200')
    .option('--by <name>', 'manual starts: who requests the change (default: your login name)')
    .option('--yes', 'manual starts with mode: apply: apply without showing the plan and asking first')
    .action(async (file: string, opts: SubmitOptions) => {
      process.exitCode = await submit(file, opts);
    });
}

async function submit(file: string, opts: SubmitOptions): Promise<ExitCode> {
  const startedAt = Date.now();
  const tty = process.stdout.isTTY === true && !opts.json;
  const paint = (colour: Parameters<typeof styleText>[0], text: string) => (tty ? styleText(colour, text) : text);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const complain = (line: string) => process.stderr.write(`${line}\n`);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    complain(`cannot read ${file}: ${(err as Error).message}; give a ticket JSON or a ChangeSpec file`);
    return ExitCode.badInput;
  }
  const [{ readEndpoints }, { buildSubmission }, { readReply }] = await Promise.all([
    import('../endpoints.js'),
    import('../submission.js'),
    import('../submit-reply.js'),
  ]);
  let endpoints: Record<string, unknown> | undefined;
  try {
    endpoints = await readEndpoints(opts.dataDir);
  } catch (err) {
    complain((err as Error).message);
    return ExitCode.badInput;
  }
  const api = (opts.api ?? (typeof endpoints?.['api'] === 'string' ? endpoints['api'] : undefined))?.replace(/\/$/, '');
  if (!api) {
    complain(`no API to post to: pass --api URL, or start \`changeflow dev\` (it writes ${opts.dataDir}/endpoints.json)`);
    return ExitCode.badInput;
  }
  const fileSecret = endpoints?.['webhookSecret'];
  const timeoutSeconds = Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    complain(`expected --timeout in seconds (a positive number), found "${opts.timeout}"`);
    return ExitCode.badInput;
  }
  const build = (extra: { idempotencyKey?: string; mode?: 'plan-only'; text?: string }) =>
    buildSubmission({
      text,
      webhookSecret: process.env[secretEnv] || (typeof fileSecret === 'string' ? fileSecret : undefined),
      // The operator, never a tool name: --by, else the OS login that runs the command.
      requestedBy: opts.by?.trim() || userInfo().username,
      now: new Date(),
      ...extra,
    });
  const built = build({ idempotencyKey: opts.idempotencyKey });
  if (!built.ok) {
    say(`${paint('red', 'invalid')}: ${file}`);
    for (const issue of built.issues) say(`  ${issue.path || '(document)'}: ${issue.message}`);
    return ExitCode.badInput;
  }
  let { submission } = built;
  if (submission.kind === 'servicenow' || submission.kind === 'jira') {
    // Against the lab, a shipped example's ticket is created there first (lab-ticket.ts).
    const { ensureLabTicket } = await import('../lab-ticket.js');
    const lab = await ensureLabTicket(submission.kind, JSON.parse(submission.body) as Record<string, unknown>, endpoints);
    if (lab.created) {
      const rebuilt = build({ text: lab.body });
      if (!rebuilt.ok) return ExitCode.badInput;
      submission = { ...rebuilt.submission, headers: { ...lab.headers, ...rebuilt.submission.headers } };
      (opts.json ? complain : say)(`lab: ${file} names a ticket the lab ${submission.kind === 'jira' ? 'Jira' : 'ServiceNow'} does not have; created and approved ${lab.ticket} there and sent its webhook`);
    }
  }
  const post = async (body: typeof submission) => {
    try {
      const res = await apiFetch(`${api}${body.path}`, { method: 'POST', headers: body.headers, body: body.body });
      return { ...readReply(res.status, await res.text()), httpStatus: res.status };
    } catch (err) {
      complain(`cannot reach the changeflow API at ${api} (${(err as Error).cause ?? (err as Error).message}); is \`changeflow dev\` running?`);
      return undefined;
    }
  };
  // --json keeps stdout for the JSON; the preview and the question go to stderr then.
  const out = { startedAt, tty, paint, say: opts.json ? complain : say, complain };
  let confirmedPlanHash: string | undefined;
  if (submission.mode === 'apply' && submission.kind !== 'servicenow' && submission.kind !== 'jira' && opts.yes !== true) {
    const { notOnTerminal, previewAndConfirm } = await import('../confirm-apply.js');
    if (process.stdin.isTTY !== true) {
      complain(notOnTerminal);
      return ExitCode.badInput;
    }
    const preview = build({ idempotencyKey: opts.idempotencyKey ? `${opts.idempotencyKey.slice(0, 56)}-preview` : undefined, mode: 'plan-only' });
    if (!preview.ok) return ExitCode.badInput;
    const started = await post(preview.submission);
    if (!started) return ExitCode.failed;
    if (!started.changeId) {
      for (const line of started.lines) out.say(line);
      return started.exitCode;
    }
    const confirmation = await previewAndConfirm({ api, changeId: started.changeId, timeoutSeconds, input: process.stdin }, out);
    if (!confirmation.confirmed) return confirmation.exitCode;
    confirmedPlanHash = confirmation.planHash;
  }
  const outcome = await post(submission);
  if (!outcome) return ExitCode.failed;
  const waiting = opts.wait === true && outcome.changeId !== undefined;
  // With --json and --wait, stdout is only the final change, so a script can parse it whole.
  if (opts.json && !waiting) say(JSON.stringify(outcome.reply ?? { httpStatus: outcome.httpStatus }, null, 2));
  if (!opts.json) for (const [i, line] of outcome.lines.entries()) say(i === 0 ? paint(outcome.exitCode === 0 ? 'green' : 'red', line) : line);
  if (!waiting || !outcome.changeId) return outcome.exitCode;
  const { followChange } = await import('../follow.js');
  return followChange(api, outcome.changeId, { timeoutSeconds, json: opts.json === true, confirmedPlanHash }, { startedAt, tty, paint, say, complain });
}

