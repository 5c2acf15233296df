import type { Command } from 'commander';
import { userInfo } from 'node:os';
import * as z from '../../shared/zod.js';
import { apiBase, callApi, errorMessage, exitCodeForRefusal, withApiOptions, type ApiOptions } from '../control-api.js';
import { ExitCode } from '../exit-codes.js';

// `changeflow drift [--target T] [--json]` (docs/architecture.md §3.7): asks the API for one drift
// check per target with changes in force (POST /drift: a plan-only change of their desired state,
// the agent gathering live facts), follows each to its end and reports every object that
// differs. Never changes anything; prints the ChangeSpec that would restore the desired state.
// Exit 0 no drift, 1 drift found, 3 bad input, 4 a check did not finish.

interface DriftOptions extends ApiOptions {
  target?: string;
  json?: boolean;
  timeout: string;
}

const Runs = z.object({ inForce: z.number(), runs: z.array(z.object({ changeId: z.string(), targets: z.array(z.string()), inForce: z.array(z.string()) })) });
const Item = z.object({ domain: z.enum(['aci', 'cluster']), ref: z.string(), path: z.string(), expected: z.string(), found: z.string() });
const DriftDetail = z.looseObject({ target: z.string(), drift: z.array(Item), restoreSpec: z.optional(z.unknown()) });

export function register(program: Command): void {
  withApiOptions(
    program
      .command('drift')
      .description('compare the live fabric and cluster with the changes in force; never changes anything (exit 0 no drift, 1 drift, 3 bad input, 4 a check did not finish)')
      .option('--target <target>', 'only this target: fabric:NAME or cluster:NAME (default: every target with changes in force)')
      .option('--json', 'print {targets: [{target, drift: [{domain, ref, path, expected, found}]}]}')
      .option('--timeout <seconds>', 'how long to wait for the checks', '600'),
  ).action(async (opts: DriftOptions) => {
    process.exitCode = await drift(opts);
  });
}

async function drift(opts: DriftOptions): Promise<ExitCode> {
  const timeoutMs = Number(opts.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    process.stderr.write(`--timeout expects seconds, found "${opts.timeout}"\n`);
    return ExitCode.badInput;
  }
  const base = await apiBase(opts);
  if (typeof base !== 'string') return base;
  const answer = await callApi(base, 'POST', '/drift', { ...(opts.target ? { target: opts.target } : {}), by: userInfo().username });
  if (!answer) return ExitCode.failed;
  if (answer.status !== 202) {
    process.stderr.write(`drift check refused: ${errorMessage(answer)}\n`);
    return exitCodeForRefusal(answer.status);
  }
  const { runs, inForce } = Runs.parse(answer.body);
  if (runs.length === 0) process.stderr.write(`${inForce} SUCCEEDED change(s) in force${opts.target ? ` on ${opts.target}` : ''}: nothing to compare\n`);
  const { watchChange } = await import('../change-watch.js');
  const { apiFetch } = await import('../api-signing.js');
  const targets: Array<z.infer<typeof DriftDetail>> = [];
  let unfinished = false;
  for (const run of runs) {
    process.stderr.write(`checking ${run.targets.join(' and ')} against ${run.inForce.length} change(s) in force (${run.changeId}) …\n`);
    const result = await watchChange({ fetch: apiFetch }, { api: base, changeId: run.changeId, intervalMs: 500, timeoutMs, untilClosed: true, onEvent: () => undefined });
    if (result.kind !== 'final' || result.change.status !== 'PLANNED') {
      unfinished = true;
      const why = result.kind === 'final' ? `ended ${result.change.status}: ${result.change.outcome?.reason ?? ''}` : `did not finish within ${opts.timeout} s`;
      process.stderr.write(`drift check ${run.changeId} of ${run.targets.join(', ')} ${why}\n`);
      continue;
    }
    for (const event of result.events.filter((e) => e.type === 'drift.detected' || e.type === 'drift.clear')) targets.push(DriftDetail.parse(event.detail));
  }
  const found = targets.some((t) => t.drift.length > 0);
  const [{ stringify }, { ChangeSpec }] = await Promise.all([import('yaml'), import('../../shared/spec/change-spec.js')]);
  // The audit trail keeps details as canonical JSON (sorted keys): the schema puts them back in the order people read.
  const inSchemaOrder = (spec: unknown) => stringify(ChangeSpec.parse(spec));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ targets: targets.map(({ target, drift: items }) => ({ target, drift: items })) }, null, 2)}\n`);
  } else {
    printReport(targets, inSchemaOrder);
  }
  if (found) return ExitCode.failed;
  return unfinished ? ExitCode.notFound : ExitCode.ok;
}

function printReport(targets: ReadonlyArray<z.infer<typeof DriftDetail>>, stringify: (value: unknown) => string): void {
  const restore: unknown[] = [];
  for (const t of targets) {
    if (t.drift.length === 0) {
      process.stdout.write(`${t.target}: no drift\n`);
      continue;
    }
    process.stdout.write(`${t.target}: ${t.drift.length} difference${t.drift.length === 1 ? '' : 's'} from the changes in force\n`);
    for (const d of t.drift) {
      process.stdout.write(d.path === '' ? `  ! ${d.ref}: expected ${d.expected}, found ${d.found}\n` : `  ~ ${d.ref} ${d.path}: expected ${d.expected}, found ${d.found}\n`);
    }
    if (t.restoreSpec !== undefined && !restore.some((r) => JSON.stringify(r) === JSON.stringify(t.restoreSpec))) restore.push(t.restoreSpec);
  }
  for (const spec of restore) {
    process.stdout.write(`\nNothing was changed. This ChangeSpec restores the desired state (review it, then \`changeflow submit\`):\n---\n${stringify(spec)}`);
  }
}
