import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as z from '../shared/zod.js';
import { serviceNowDelivery } from '../local/dev/demo-tickets.js';
import { repoRoot, startDevStack, type DevStack } from '../local/dev/dev-stack.js';
import { signDelivery } from '../shared/intake/signature.js';
import { percentiles, ratio, showPercentiles, type Percentiles } from './figures.js';
import { startDynaliteProcess } from './dynalite-process.js';
import { LoadReport, type LoadPlan } from './intake-load.js';

// Webhook intake under a steady open-loop load: ServiceNow deliveries at a fixed rate against the
// local API server (the same handler modules as Lambda) over dynalite, a mix of duplicates (a
// ticket whose change already started: 200 duplicate), not-approved ones (202 ignored) and a few
// new tickets (202 started, which start real executions on the local engine). The load comes
// from a child process; latency counts from each request's due time.

export interface IntakeBenchOptions {
  readonly rate: number;
  readonly seconds: number;
  /** Fractions of the load; duplicates are the rest. */
  readonly newShare: number;
  readonly ignoredShare: number;
  readonly log?: (line: string) => void;
}

export interface IntakeBenchResult {
  readonly offered: number;
  readonly offeredRate: number;
  readonly achievedRate: number;
  readonly all: Percentiles;
  readonly byKind: Record<string, Percentiles>;
  readonly errors: number;
}

type Kind = 'duplicate' | 'ignored' | 'new';
const expected: Record<Kind, number> = { duplicate: 200, ignored: 202, new: 202 };

export function parseIntakeBenchArgs(argv: readonly string[]): IntakeBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { rate: { type: 'string' }, seconds: { type: 'string' }, 'new-share': { type: 'string' }, 'ignored-share': { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const num = (v: unknown, fallback: number) => (typeof v === 'string' ? Number(v) : fallback);
  return { rate: num(values.rate, 200), seconds: num(values.seconds, 10), newShare: num(values['new-share'], 0.01), ignoredShare: num(values['ignored-share'], 0.3) };
}

export async function runIntakeBench(options: IntakeBenchOptions): Promise<IntakeBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const total = Math.round(options.rate * options.seconds);
  const dataDir = await mkdtemp(join(tmpdir(), 'changeflow-bench-intake-'));
  let stack: DevStack | undefined;
  const dynamo = await startDynaliteProcess();
  try {
    // No agent: the few new changes start and wait for one, which is all intake needs.
    stack = await startDevStack({ port: 0, dataDir, faults: [], log: () => undefined, agent: false, dynamodbEndpoint: dynamo.endpoint, apiStdout: 'ignore' });
    // Metrics on in the API process, as on AWS (its EMF lines are dropped, their cost counted);
    // bench/run.ts turns them off for the engine's in-process steps, whose lines would flood the output.
    await stack.api.setEnv({ POWERTOOLS_METRICS_DISABLED: 'false' });
    const tickets = await ticketMaker(stack, stack.endpoints.webhookSecret);
    const url = stack.endpoints.api;

    // The duplicate pool: tickets whose change has started, delivered again by ServiceNow.
    const pool: LoadPlan['requests'] = [];
    for (let i = 0; i < 20; i += 1) {
      const request = await tickets.delivery('duplicate', { approved: true });
      const res = await fetch(`${url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
      if (res.status !== 202) throw new Error(`expected 202 started for a new approved ticket, found ${res.status}: ${await res.text()}`);
      pool.push(request);
    }
    // Warm the handlers (module loading) on every path before the clock runs.
    for (let i = 0; i < 20; i += 1) {
      const request = i % 2 === 0 ? tickets.resigned(pool[i % pool.length] as LoadPlan['requests'][number]) : await tickets.delivery('ignored', { approved: false });
      await (await fetch(`${url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body })).arrayBuffer();
    }

    // Unloaded baseline: one request at a time, what each path costs with no queue in front.
    const baseline: Record<string, Percentiles> = {};
    for (const kind of ['duplicate', 'ignored'] as const) {
      const ms: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const request = kind === 'duplicate' ? tickets.resigned(pool[i % pool.length] as LoadPlan['requests'][number]) : await tickets.delivery('ignored', { approved: false });
        const t0 = performance.now();
        await (await fetch(`${url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body })).arrayBuffer();
        ms.push(performance.now() - t0);
      }
      baseline[kind] = percentiles(ms);
    }

    const random = seeded(7);
    const requests: LoadPlan['requests'] = [];
    for (let i = 0; i < total; i += 1) {
      const r = random();
      if (r < options.newShare) requests.push(await tickets.delivery('new', { approved: true }));
      else if (r < options.newShare + options.ignoredShare) requests.push(await tickets.delivery('ignored', { approved: false }));
      else requests.push(tickets.resigned(pool[Math.floor(random() * pool.length)] as LoadPlan['requests'][number]));
    }
    const counts = countBy(requests.map((r) => r.kind));
    log(
      `intake bench: ${total} ServiceNow deliveries at ${options.rate} req/s for ${options.seconds} s, open loop from a child process — ` +
        `${counts['duplicate'] ?? 0} duplicates (expect 200), ${counts['ignored'] ?? 0} not approved (202 ignored), ${counts['new'] ?? 0} new (202 started)`,
    );
    // The API answers in its own process, as on AWS (the engine runs here, dynalite and the load
    // generator in children): its CPU over the run, per request, is the figure issue 16 measured
    // (then with the engine in the same process).
    const cpuBefore = await stack.api.cpuUsage();
    const engineBefore = process.cpuUsage();
    const report = await runLoad(dataDir, { url, rate: options.rate, requests });
    const cpuAfter = await stack.api.cpuUsage();
    const engine = process.cpuUsage(engineBefore);
    const cpuPerRequestMs = (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1000 / Math.max(1, report.results.length);
    const engineMs = (engine.user + engine.system) / 1000;

    const results = report.results;
    const errors = results.filter((r) => r.status !== expected[r.kind as Kind]);
    const done = Math.max(...results.map((r) => r.doneAtMs));
    const offeredRate = total / ((total - 1) / options.rate);
    const achievedRate = (results.length - errors.length) / (done / 1000);
    const all = percentiles(results.map((r) => r.latencyMs));
    const byKind: Record<string, Percentiles> = {};
    for (const kind of Object.keys(expected)) {
      const mine = results.filter((r) => r.kind === kind).map((r) => r.latencyMs);
      if (mine.length > 0) byKind[kind] = percentiles(mine);
    }
    const lag = percentiles(results.map((r) => r.sendLagMs));
    for (const [kind, p] of Object.entries(baseline)) {
      log(`unloaded, one at a time: ${kind.padEnd(10)} ${showPercentiles(p)} → one stream serves ~${(1000 / p.p50).toFixed(0)} req/s`);
    }
    log(`latency (due → answer), all:  ${showPercentiles(all)}`);
    for (const [kind, p] of Object.entries(byKind)) log(`  ${kind.padEnd(10)} ${showPercentiles(p)}`);
    log(`throughput: offered ${offeredRate.toFixed(1)} req/s, achieved ${achievedRate.toFixed(1)} req/s (${ratio(achievedRate, offeredRate)} of offered) — last answer ${(done / 1000).toFixed(2)} s after the first was due`);
    log(`errors (wrong status or no answer): ${errors.length}${errors.length > 0 ? ` — ${describeErrors(errors)}` : ''}`);
    log(`generator send lag (how late sends left): p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms`);
    log('goals (issue 16 part 3):');
    log(`  p99 at ${options.rate} req/s: ${all.p99.toFixed(1)} ms — goal ≤ 50 ms, before 2.1 s at 200 req/s → ${all.p99 <= 50 ? 'met' : 'NOT MET'}`);
    log(`  CPU per request (API process): ${cpuPerRequestMs.toFixed(2)} ms — goal ≤ 1.5 ms, before 4.6 ms → ${cpuPerRequestMs <= 1.5 ? 'met' : 'NOT MET'}`);
    log(`  (the engine's process meanwhile: ${engineMs.toFixed(0)} ms of CPU for ${counts['new'] ?? 0} new changes)`);
    return { offered: total, offeredRate, achievedRate, all, byKind, errors: errors.length };
  } finally {
    await stack?.close();
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function ticketMaker(stack: DevStack, secret: string) {
  const example = ServiceNowExample.parse(JSON.parse(await readFile(join(repoRoot, 'examples/servicenow-approved.json'), 'utf8')));
  let serial = 0;
  const sign = (body: string) => ({ 'content-type': 'application/json', ...signDelivery(secret, body, new Date()) });
  return {
    /** An approved ticket is created in the lab ServiceNow first (its change writes back to it). */
    async delivery(kind: Kind, opts: { approved: boolean }): Promise<LoadPlan['requests'][number]> {
      let body: string;
      if (opts.approved) {
        body = (await serviceNowDelivery(stack.lab, secret, `bench intake ${kind}`, example.u_change_spec, new Date())).body;
      } else {
        serial += 1;
        body = JSON.stringify({ ...example, sys_id: `beec${serial.toString(16).padStart(28, '0')}`, number: `CHG${5_000_000 + serial}`, approval: 'requested' });
      }
      return { kind, path: '/webhooks/servicenow', headers: sign(body), body };
    },
    /** The same delivery again (same delivery key), signed with a fresh timestamp as a retry would be. */
    resigned(request: LoadPlan['requests'][number]): LoadPlan['requests'][number] {
      return { ...request, kind: 'duplicate', headers: sign(request.body) };
    },
  };
}

const ServiceNowExample = z.looseObject({ u_change_spec: z.string() });

async function runLoad(dataDir: string, plan: LoadPlan): Promise<LoadReport> {
  const planPath = join(dataDir, 'load-plan.json');
  await writeFile(planPath, JSON.stringify(plan));
  const child = spawn(process.execPath, [join(repoRoot, 'bin/run-ts.mjs'), join(repoRoot, 'bench/intake-load.ts'), planPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`expected the load generator to exit 0, found ${code}; its output: ${out.slice(0, 500)}`);
  return LoadReport.parse(JSON.parse(out));
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function describeErrors(errors: ReadonlyArray<{ kind: string; status: number; error?: string }>): string {
  return Object.entries(countBy(errors.map((e) => `${e.kind}→${e.status}${e.error ? ` (${e.error})` : ''}`)))
    .map(([k, n]) => `${n}× ${k}`)
    .join(', ');
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}
