import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import * as z from '../shared/zod.js';
import { serviceNowDelivery } from '../local/dev/demo-tickets.js';
import { repoRoot } from '../local/dev/dev-stack.js';
import type { LabScenario } from '../local/lab/index.js';
import type { RequestRecord } from '../local/lab/side-door.js';
import { DocumentRef } from '../shared/store/index.js';
import type { AuditEvent } from '../shared/store/index.js';
import { executionEnd, startBenchStack, zeroLatency, type BenchStack } from './change.js';
import { phaseLabels, phaseWindows } from './change-phases.js';
import { seconds } from './figures.js';

// Issue 20: how facts, state, history, plans and audit grow from the small default lab to the
// `scale` scenario (local/lab/scale-scenario.ts). On each scenario one dev stack runs the
// onboarding (examples/onboard-prod-a.yaml) and then a one-pool change (examples/add-pool-blue.yaml
// in apply mode) through signed ServiceNow webhooks, and the figures are read from what the
// product left behind: the emulators' request logs, the execution history, the stored documents
// and the audit trail. Precheck and plan are also run in a child process on the stored facts for
// their time and peak memory as a Lambda would see them.

const execFileAsync = promisify(execFile);
const sfnLimits = { payloadBytes: 256 * 1024, historyEvents: 25_000 };
const goals = {
  payloadBytes: 64 * 1024, historyEvents: 500, precheckPlanMs: 1000, peakMb: 256, apicRatio: 2, factsBytes: 1024 * 1024, auditBytes: 512 * 1024,
};

export interface ScaleBenchOptions {
  readonly scenarios: readonly LabScenario[];
  readonly log?: (line: string) => void;
}

export function parseScaleBenchArgs(argv: readonly string[]): ScaleBenchOptions {
  const at = argv.indexOf('--scenarios');
  const list = at >= 0 ? (argv[at + 1] ?? '').split(',') : ['default', 'scale'];
  return { scenarios: list.filter((s): s is LabScenario => s === 'default' || s === 'scale') };
}

interface Traffic {
  requests: number;
  bytes: number;
}

export interface ChangeFigures {
  readonly title: string;
  readonly status: string;
  /** Why it did not succeed, when it did not. */
  readonly reason: string;
  readonly wallMs: number;
  readonly agentMs: number;
  readonly apic: Traffic;
  readonly kubernetes: Traffic;
  readonly apicByPhase: Record<string, Traffic>;
  readonly kubernetesByPhase: Record<string, Traffic>;
  readonly factsBytes: number;
  readonly planBytes: number;
  readonly planOps: number;
  readonly largestPayloadBytes: number;
  readonly largestPayloadAt: string;
  readonly historyEvents: number;
  readonly auditEvents: number;
  readonly auditBytes: number;
  readonly precheckStepMs: number;
  readonly planStepMs: number;
  readonly lambda: LambdaFigures;
}

const LambdaFigures = z.object({
  precheckMs: z.number(), planMs: z.number(), peakRssMb: z.number(), baseRssMb: z.number(),
  prechecks: z.number(), failed: z.array(z.string()), unknown: z.array(z.string()), ops: z.number(),
});
type LambdaFigures = z.infer<typeof LambdaFigures>;

const ScenarioFigures = z.object({ figures: z.array(z.custom<ChangeFigures>((v) => typeof v === 'object' && v !== null)) });
const WebhookReply = z.object({ changeId: z.string(), executionArn: z.string(), status: z.literal('started') });
const SpecDocument = z.looseObject({ mode: z.optional(z.string()) });

export async function runScaleBench(options: ScaleBenchOptions): Promise<Record<string, ChangeFigures[]>> {
  const log = options.log ?? ((line: string) => console.log(line));
  log('scale bench: examples/onboard-prod-a.yaml, then examples/add-pool-blue.yaml (mode: apply), each through a signed ServiceNow webhook, one dev stack per scenario (each in its own process, as a fresh deployment), no emulated latency');
  const out: Record<string, ChangeFigures[]> = {};
  for (const scenario of options.scenarios) {
    // A process per scenario: the in-process Lambda handlers keep their settings for the life of
    // their "container", as on AWS, and the second stack has another webhook secret.
    const child = spawn(process.execPath, [join(repoRoot, 'bin/run-ts.mjs'), join(repoRoot, 'bench/scale-scenario.ts'), scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      for (const line of chunk.split('\n')) if (line.startsWith('  ')) log(line);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const last = stdout.trim().split('\n').pop() ?? '';
    if (code !== 0 || !last.startsWith('{')) throw new Error(`the ${scenario} scenario run exited ${code}; see its output above`);
    out[scenario] = ScenarioFigures.parse(JSON.parse(last)).figures;
  }
  report(out, log);
  return out;
}

/** One scenario in this process: its stack, the onboarding, then the pool change. */
export async function measureScenario(scenario: LabScenario, log: (line: string) => void): Promise<ChangeFigures[]> {
  const onboard = await readFile(join(repoRoot, 'examples/onboard-prod-a.yaml'), 'utf8');
  // The pool example is plan-only as shipped; here it is applied against the onboarded cluster.
  const pool = stringifyYaml({ ...SpecDocument.parse(parseYaml(await readFile(join(repoRoot, 'examples/add-pool-blue.yaml'), 'utf8'))), mode: 'apply' });
  const started = performance.now();
  const bench = await startBenchStack(zeroLatency, scenario);
  log(`  ${scenario}: stack up in ${seconds(performance.now() - started)}`);
  try {
    const figures: ChangeFigures[] = [];
    for (const [title, spec] of [['onboarding', onboard], ['one pool', pool]] as const) {
      const f = await measuredChange(bench, spec, `${title} (${scenario})`);
      log(`  ${scenario} ${title}: ${f.status} in ${seconds(f.wallMs)}`);
      figures.push({ ...f, title });
    }
    return figures;
  } finally {
    await bench.close();
  }
}

async function measuredChange(bench: BenchStack, spec: string, title: string): Promise<ChangeFigures> {
  const { stack } = bench;
  const delivery = await serviceNowDelivery(stack.lab, stack.endpoints.webhookSecret, `bench: ${title}`, spec, new Date());
  stack.lab.apic.stats.reset();
  stack.lab.kubernetes.stats.reset();
  const startedAt = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${stack.endpoints.api}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const reply = WebhookReply.parse(await res.json());
  const execution = await executionEnd(bench.sfn, reply.executionArn);
  const wallMs = performance.now() - t0;
  const endedAt = startedAt + wallMs;
  const apicLog = [...stack.lab.apic.stats.log];
  const kubeLog = [...stack.lab.kubernetes.stats.log];

  const { change, events } = await stack.store.getChangeWithEvents(reply.changeId);
  const windows = phaseWindows(events, startedAt, endedAt);
  const history = await executionHistory(bench, reply.executionArn);
  const payload = largestPayload(history);
  const factsRef = documentRef(events, 'facts.gathered');
  const planRef = documentRef(events, 'plan.created');
  const facts = factsRef ? await stack.store.documents.getDocument(factsRef) : undefined;
  const request = await requestSpec(bench, events);
  const phases = phaseDurationsOf(windows);
  return {
    title,
    status: change.status,
    reason: change.status === 'SUCCEEDED' ? '' : `${change.outcome?.reason ?? ''} (execution ${execution})`,
    wallMs,
    agentMs: agentTime(history),
    apic: traffic(apicLog),
    kubernetes: traffic(kubeLog),
    apicByPhase: byPhase(apicLog, windows),
    kubernetesByPhase: byPhase(kubeLog, windows),
    factsBytes: factsRef?.bytes ?? 0,
    planBytes: planRef?.bytes ?? 0,
    planOps: z.object({ ops: z.array(z.unknown()) }).safeParse(events.find((e) => e.type === 'plan.created')?.detail).data?.ops.length ?? 0,
    largestPayloadBytes: payload.bytes,
    largestPayloadAt: payload.at,
    historyEvents: history.length,
    auditEvents: events.length,
    auditBytes: await auditBytes(bench, events),
    precheckStepMs: phases['precheck'] ?? 0,
    planStepMs: phases['plan'] ?? 0,
    lambda: facts && request ? await lambdaFigures(facts, request) : LambdaFigures.parse({ precheckMs: 0, planMs: 0, peakRssMb: 0, baseRssMb: 0, prechecks: 0, failed: [], unknown: [], ops: 0 }),
  };
}

function traffic(records: readonly RequestRecord[]): Traffic {
  return { requests: records.length, bytes: records.reduce((n, r) => n + r.bytes, 0) };
}

function byPhase(records: readonly RequestRecord[], windows: ReturnType<typeof phaseWindows>): Record<string, Traffic> {
  const out: Record<string, Traffic> = {};
  for (const r of records) {
    const label = windows.find((w) => r.at < w.to)?.label ?? windows[windows.length - 1]?.label ?? 'after';
    const t = (out[label] ??= { requests: 0, bytes: 0 });
    t.requests += 1;
    t.bytes += r.bytes;
  }
  return out;
}

function phaseDurationsOf(windows: ReturnType<typeof phaseWindows>): Record<string, number> {
  return Object.fromEntries(windows.map((w) => [w.label, w.to - w.from]));
}

function documentRef(events: readonly AuditEvent[], type: string): DocumentRef | undefined {
  const detail = events.find((e) => e.type === type)?.detail;
  return z.object({ document: DocumentRef }).safeParse(detail).data?.document;
}

async function requestSpec(bench: BenchStack, events: readonly AuditEvent[]): Promise<unknown> {
  const ref = z.object({ request: DocumentRef }).safeParse(events.find((e) => e.type === 'change.received')?.detail).data?.request;
  return ref ? z.looseObject({ spec: z.unknown() }).parse(await bench.stack.store.documents.getDocument(ref)).spec : undefined;
}

async function executionHistory(bench: BenchStack, executionArn: string): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await bench.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    out.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** The largest input or output any history event carries: what Step Functions holds to 256 KiB. */
function largestPayload(history: readonly HistoryEvent[]): { bytes: number; at: string } {
  let best = { bytes: 0, at: '' };
  for (const event of history) {
    for (const [key, details] of Object.entries(event)) {
      if (!key.endsWith('EventDetails') || typeof details !== 'object' || details === null) continue;
      for (const field of ['input', 'output'] as const) {
        const text = (details as Record<string, unknown>)[field];
        if (typeof text !== 'string') continue;
        const bytes = Buffer.byteLength(text, 'utf8');
        const name = z.object({ name: z.string() }).safeParse(details).data?.name;
        if (bytes > best.bytes) best = { bytes, at: `${event.type ?? '?'}${name ? ` ${name}` : ''} ${field}` };
      }
    }
  }
  return best;
}

/** Time the agent held activity tasks (ActivityStarted → its end): device work, not orchestration. */
function agentTime(history: readonly HistoryEvent[]): number {
  let total = 0;
  let started: number | undefined;
  for (const e of history) {
    const at = e.timestamp ? new Date(e.timestamp).getTime() : 0;
    if (e.type === 'ActivityStarted') started = at;
    else if (started !== undefined && (e.type === 'ActivitySucceeded' || e.type === 'ActivityFailed' || e.type === 'ActivityTimedOut')) {
      total += at - started;
      started = undefined;
    }
  }
  return total;
}

const SummarisedDetail = z.object({ summarised: z.literal(true), document: DocumentRef });

/** The audit trail of one change as stored: its events, plus the documents of details kept apart. */
async function auditBytes(bench: BenchStack, events: readonly AuditEvent[]): Promise<number> {
  let total = 0;
  for (const e of events) {
    total += Buffer.byteLength(JSON.stringify(e), 'utf8');
    const summary = SummarisedDetail.safeParse(e.detail);
    if (summary.success) total += summary.data.document.bytes;
  }
  return total;
}

async function lambdaFigures(facts: unknown, spec: unknown): Promise<LambdaFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'changeflow-scale-'));
  try {
    await writeFile(join(dir, 'facts.json'), JSON.stringify(facts));
    await writeFile(join(dir, 'spec.json'), JSON.stringify(spec));
    const { stdout } = await execFileAsync(process.execPath, [join(repoRoot, 'bin/run-ts.mjs'), join(repoRoot, 'bench/scale-lambda.ts'), join(dir, 'facts.json'), join(dir, 'spec.json')], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return LambdaFigures.parse(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
const ms = (v: number): string => `${Math.round(v)} ms`;
/** The figure as a share of its goal, next to the figure: above 1 means the goal does not hold. */
const vs = (value: number, goal: number): string => ` (${(value / goal).toFixed(2)}×)`;

function report(results: Record<string, ChangeFigures[]>, log: (line: string) => void): void {
  const columns = Object.entries(results).flatMap(([scenario, list]) => list.map((f) => ({ head: `${scenario} ${f.title}`, f })));
  const small = results['default']?.[0];
  const row = (label: string, cell: (f: ChangeFigures) => string, goal = ''): void => {
    log(`  ${label.padEnd(40)}${columns.map((c) => cell(c.f).padStart(28)).join('')}${goal ? `   ${goal}` : ''}`);
  };
  log('');
  log('  each figure (figure ÷ goal): above 1.00× the goal does not hold');
  log(`  ${''.padEnd(40)}${columns.map((c) => c.head.padStart(28)).join('')}`);
  row('status', (f) => f.status);
  row('wall time (webhook → execution end)', (f) => seconds(f.wallMs));
  row('agent activity time', (f) => seconds(f.agentMs));
  row('orchestration overhead (wall − agent)', (f) => `${seconds(f.wallMs - f.agentMs)} (${((100 * (f.wallMs - f.agentMs)) / f.wallMs).toFixed(0)} %)`);
  row('APIC requests', (f) => `${f.apic.requests}${small ? vs(f.apic.requests, goals.apicRatio * small.apic.requests) : ''}`, small ? `goal ≤ ${goals.apicRatio}× small lab (${goals.apicRatio * small.apic.requests})` : '');
  row('APIC bytes', (f) => kb(f.apic.bytes));
  row('Kubernetes requests', (f) => String(f.kubernetes.requests));
  row('Kubernetes bytes', (f) => kb(f.kubernetes.bytes));
  row('facts document', (f) => `${kb(f.factsBytes)}${vs(f.factsBytes, goals.factsBytes)}`, `goal ≤ ${kb(goals.factsBytes)}`);
  row('largest state payload', (f) => `${kb(f.largestPayloadBytes)}${vs(f.largestPayloadBytes, goals.payloadBytes)}`, `goal ≤ ${kb(goals.payloadBytes)}; Step Functions limit ${kb(sfnLimits.payloadBytes)}`);
  row('history events', (f) => `${f.historyEvents}${vs(f.historyEvents, goals.historyEvents)}`, `goal ≤ ${goals.historyEvents}; Step Functions limit ${sfnLimits.historyEvents}`);
  row('precheck step (Lambda, with store I/O)', (f) => ms(f.precheckStepMs));
  row('plan step (Lambda, with store I/O)', (f) => ms(f.planStepMs));
  row('precheck + plan, pure (child process)', (f) => `${ms(f.lambda.precheckMs + f.lambda.planMs)}${vs(f.lambda.precheckMs + f.lambda.planMs, goals.precheckPlanMs)}`, `goal ≤ ${goals.precheckPlanMs} ms`);
  row('  peak RSS of that process', (f) => `${f.lambda.peakRssMb.toFixed(0)} MB${vs(f.lambda.peakRssMb, goals.peakMb)}`, `goal ≤ ${goals.peakMb} MB (Node + modules ≈ base)`);
  row('  base RSS (modules + facts read)', (f) => `${f.lambda.baseRssMb.toFixed(0)} MB`);
  row('plan document', (f) => `${kb(f.planBytes)}, ${f.planOps} ops`);
  row('audit per change (events + details)', (f) => `${kb(f.auditBytes)}, ${f.auditEvents} ev${vs(f.auditBytes, goals.auditBytes)}`, `goal ≤ ${kb(goals.auditBytes)}`);
  log('  requests / bytes by step (APIC | Kubernetes):');
  for (const label of phaseLabels) {
    const cell = (f: ChangeFigures): string => {
      const a = f.apicByPhase[label];
      const k = f.kubernetesByPhase[label];
      if (!a && !k) return '·';
      return `${a?.requests ?? 0}/${kb(a?.bytes ?? 0)} | ${k?.requests ?? 0}/${kb(k?.bytes ?? 0)}`;
    };
    row(`    ${label}`, cell);
  }
  growth(results, log);
  for (const c of columns) {
    if (c.f.reason) log(`  ${c.head}: ${c.f.status}: ${c.f.reason}`);
    if (c.f.lambda.failed.length + c.f.lambda.unknown.length > 0) log(`  ${c.head}: prechecks failed ${c.f.lambda.failed.join(', ') || 'none'}; unknown ${c.f.lambda.unknown.join(', ') || 'none'}`);
    log(`  ${c.head}: largest payload at ${c.f.largestPayloadAt}`);
  }
}

/**
 * How each goal figure grows from the small lab to the scale scenario (same change, each column),
 * and what it would be at 10× the scale scenario if it kept growing as it did (linear in the
 * growth factor): the figure whose projection passes its hard limit first names the first wall.
 */
function growth(results: Record<string, ChangeFigures[]>, log: (line: string) => void): void {
  const small = results['default'];
  const large = results['scale'];
  if (!small || !large) return;
  const figures: Array<{ label: string; of: (f: ChangeFigures) => number; limit: number; limitName: string }> = [
    { label: 'largest state payload (bytes)', of: (f) => f.largestPayloadBytes, limit: sfnLimits.payloadBytes, limitName: 'Step Functions 256 KB' },
    { label: 'history events', of: (f) => f.historyEvents, limit: sfnLimits.historyEvents, limitName: 'Step Functions 25 000' },
    { label: 'facts document (bytes)', of: (f) => f.factsBytes, limit: goals.factsBytes, limitName: 'goal 1 MB' },
    { label: 'APIC requests', of: (f) => f.apic.requests, limit: Infinity, limitName: '—' },
    { label: 'precheck + plan (ms)', of: (f) => f.lambda.precheckMs + f.lambda.planMs, limit: goals.precheckPlanMs, limitName: 'goal 1 s' },
    { label: 'peak RSS (MB)', of: (f) => f.lambda.peakRssMb, limit: goals.peakMb, limitName: 'goal 256 MB' },
    { label: 'audit per change (bytes)', of: (f) => f.auditBytes, limit: goals.auditBytes, limitName: 'goal 512 KB' },
  ];
  log('  growth small lab → scale, and the projection at 10× the scale scenario:');
  large.forEach((l, i) => {
    const s = small[i];
    if (!s) return;
    // A change that stopped early (REJECTED) ran fewer steps: its figures do not compare.
    if (s.status !== l.status) log(`    ${l.title}: ${s.status} on the small lab, ${l.status} at scale — the growth below is not like for like`);
    let first: { label: string; at: number } | undefined;
    for (const fig of figures) {
      const a = fig.of(s);
      const b = fig.of(l);
      const factor = a > 0 ? b / a : Number.NaN;
      // Linear in the scenario's size, the small lab taken as ≈ 0: a + (b − a) × 10; a figure that
      // did not grow (fixed per change) is taken to stay where it is.
      const at10 = Math.max(b, a + (b - a) * 10);
      const over = at10 / fig.limit;
      if (Number.isFinite(over) && (!first || over > first.at)) first = { label: fig.label, at: over };
      log(`    ${l.title.padEnd(12)} ${fig.label.padEnd(32)} ${String(Math.round(a)).padStart(10)} → ${String(Math.round(b)).padStart(10)}  ×${factor.toFixed(2)}   at 10×: ${Math.round(at10)} (${fig.limitName}${Number.isFinite(over) ? `, ${over.toFixed(2)}×` : ''})`);
    }
    if (first) log(`    ${l.title}: at 10× the first limit reached is ${first.label} (${first.at.toFixed(2)}× its limit)`);
  });
}
