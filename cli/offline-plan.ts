import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { styleText } from 'node:util';
import { renderAciDiff } from '../shared/aci/planner/render-diff.js';
import { renderClusterDiff } from '../shared/cilium/plan/render-diff.js';
import { planTotalsLine, summarisePrechecks } from '../shared/plan/index.js';
import { factsFromCaptured, planWithPrechecks } from '../shared/planner/index.js';
import { parseChangeDocumentText } from '../shared/spec/parse.js';
import { apicCaptureCommands, clusterCaptureCommands } from './capture-hints.js';
import { ExitCode } from './exit-codes.js';

// The body of `changeflow plan`: read, plan, render like `terraform plan`.

async function jsonFiles(dir: string): Promise<string[]> {
  // One captured file may be given on its own, beside folders.
  if ((await stat(dir)).isFile()) return [dir];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export async function runOfflinePlan(file: string, factsDirs: string | readonly string[], opts: { json: boolean; colour: boolean }): Promise<{ exitCode: ExitCode; output: string }> {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (opts.colour ? styleText(style, text) : text);
  const bad = (message: string) => ({ exitCode: ExitCode.badInput, output: opts.json ? `${JSON.stringify({ error: message })}\n` : `invalid: ${message}\n` });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return bad(`cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = parseChangeDocumentText(text);
  if (!parsed.ok) return bad(`${file}\n${parsed.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  const spec = parsed.request?.spec ?? parsed.spec;
  const dirs = typeof factsDirs === 'string' ? [factsDirs] : [...new Set(factsDirs)];
  const files: string[] = [];
  for (const dir of dirs) {
    try {
      files.push(...(await jsonFiles(dir)));
    } catch (err) {
      return bad(`cannot read the facts folder ${dir}: ${(err as Error).message}`);
    }
  }
  const factsDir = dirs.join(', ');
  const docs: Array<{ name: string; content: unknown }> = [];
  for (const path of files) {
    try {
      docs.push({ name: path, content: JSON.parse(await readFile(path, 'utf8')) as unknown });
    } catch (err) {
      return bad(`${path} is not JSON: ${(err as Error).message}`);
    }
  }
  const { facts, unplaced } = factsFromCaptured(docs, spec);
  const plan = planWithPrechecks(spec, facts);
  const summary = summarisePrechecks(plan.prechecks);
  // The totals line is printed once, for both targets, below.
  const diff = [...renderAciDiff(plan.ops), ...renderClusterDiff(plan.ops).filter((l) => !/^\s*Plan:/.test(l))];
  const exitCode = summary.failed > 0 ? ExitCode.rejected : ExitCode.ok;
  if (opts.json) {
    return { exitCode, output: `${JSON.stringify({ summary, prechecks: plan.prechecks, totals: plan.totals, planHash: plan.planHash, diff, unplaced }, null, 2)}\n` };
  }
  const lines: string[] = [`facts: ${docs.length} file(s) from ${factsDir}${unplaced.length ? `; not recognised: ${unplaced.join(', ')}` : ''}`, '', 'Prechecks'];
  for (const p of plan.prechecks) {
    const mark = p.verdict === 'pass' ? paint('green', '✓') : p.verdict === 'fail' ? paint('red', '✗') : paint('yellow', '?');
    lines.push(`  ${mark} ${p.id}: ${p.evidence}`);
    if (p.verdict !== 'pass' && p.fix) lines.push(`      fix: ${p.fix}`);
  }
  lines.push(`  ${summary.passed} passed, ${summary.failed} failed, ${summary.unknown} unknown${summary.unknown ? ' (unknown blocks apply, not the plan)' : ''}`, '', 'Plan');
  for (const line of diff) {
    const style = line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : 'yellow';
    lines.push(`  ${paint(style, line)}`);
  }
  lines.push(`Plan: ${planTotalsLine(plan.ops)}.  (${plan.planHash.slice(0, 12)})`);
  const missing = [
    ...(facts.aci ? [] : [{ side: 'the APIC', commands: apicCaptureCommands(spec) }]),
    ...(facts.cluster ? [] : [{ side: 'the cluster', commands: clusterCaptureCommands(spec) }]),
  ];
  for (const { side, commands } of missing) {
    lines.push('', `No facts of ${side} in ${factsDir}: its rules are unknown. Save them into the facts folder with:`, ...commands.map((c) => `  ${c}`));
  }
  return { exitCode, output: `${lines.join('\n')}\n` };
}
