import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { countCommands } from '../local/dynamo/command-counter.js';
import { ensureTable } from '../local/dynamo/ensure-table.js';
import { sealEvent, zeroHash, type AuditEvent } from '../shared/store/audit-event.js';
import { eventItem } from '../shared/store/audit.js';
import type { ChangeRecord, ChangeStatus } from '../shared/store/index.js';
import { changeItem } from '../shared/store/changes.js';
import { createStore } from '../shared/store/store.js';
import { systemClock } from '../shared/runtime/clock.js';

// Audit trail at scale: load N events (default 1 M over 10 k changes) into dynalite, then time
// the two reads people wait for — one change's events, and a target's changes in a time range —
// and count request types to show the reads never Scan. Figures only; nothing is asserted.

export interface AuditBenchOptions {
  events?: number;
  changes?: number;
  samples?: number;
  /** Batch writes in flight while loading. */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface AuditBenchResult {
  events: number;
  changes: number;
  loadSeconds: number;
  changeEvents: Percentiles;
  targetRange: Percentiles;
  dayRange: Percentiles;
  requests: Record<string, number>;
  scans: number;
}

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

const days = 30;
const fabrics = 10;
const clusters = 20;
const startMs = Date.parse('2026-10-01T00:00:00.000Z');
const eventTypes = ['change.received', 'lock.acquired', 'facts.gathered', 'precheck.passed', 'plan.created', 'apply.aci.op', 'apply.cluster.op', 'verify.bgp', 'verify.connectivity', 'change.succeeded'];
const statusFor: readonly ChangeStatus[] = ['RECEIVED', 'PRECHECKING', 'PRECHECKING', 'PRECHECKING', 'PLANNED', 'APPLYING', 'APPLYING', 'VERIFYING', 'VERIFYING', 'SUCCEEDED'];

export function parseAuditBenchArgs(argv: readonly string[]): AuditBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { events: { type: 'string' }, changes: { type: 'string' }, samples: { type: 'string' }, concurrency: { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const num = (v: unknown) => (typeof v === 'string' ? Number(v.replace(/[_,]/g, '')) : undefined);
  return { events: num(values.events), changes: num(values.changes), samples: num(values.samples), concurrency: num(values.concurrency) };
}

export async function runAuditBench(options: AuditBenchOptions = {}): Promise<AuditBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const events = options.events ?? 1_000_000;
  const changes = options.changes ?? Math.max(1, Math.round(events / 100));
  const perChange = Math.max(1, Math.floor(events / changes));
  const samples = options.samples ?? 300;
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

  // dynalite in a child process: the server and the client each get a core.
  const server = await startDynaliteProcess();
  const raw = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 5,
  });
  try {
    await ensureTable(raw, 'changeflow');
    const counter = countCommands(raw);
    const client = DynamoDBDocumentClient.from(raw);
    log(`audit bench: ${fmt(perChange * changes)} events over ${fmt(changes)} changes (${perChange} each), ${days} days, ${fabrics} fabrics, ${clusters} clusters; dynalite in a child process`);

    const loadStart = performance.now();
    await load(client, changes, perChange, options.concurrency ?? 24, (done, total) => {
      const s = (performance.now() - loadStart) / 1000;
      log(`  loading ${fmt(done)}/${fmt(total)} items  ${s.toFixed(0)} s  ${fmt(Math.round(done / s))} items/s`);
    });
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const loadRequests = counter.counts();
    log(`load: ${fmt(changes * (perChange + 1))} items in ${loadSeconds.toFixed(1)} s (${fmt(Math.round((changes * (perChange + 1)) / loadSeconds))} items/s); requests ${describe(loadRequests)}`);

    counter.reset();
    const store = createStore({ client, now: () => new Date(startMs + days * 86_400_000) });
    const random = seeded(42);
    const changeEvents = await time(samples, async () => {
      const { events: found } = await store.audit.listEvents(changeId(Math.floor(random() * changes)), { limit: 1000 });
      if (found.length !== perChange) throw new Error(`expected ${perChange} events, found ${found.length}`);
    });
    const targetRange = await time(samples, async () => {
      const target = random() < 0.5 ? `fabric:f${Math.floor(random() * fabrics)}` : `cluster:c${Math.floor(random() * clusters)}`;
      const since = startMs + Math.floor(random() * (days - 3)) * 86_400_000;
      await store.changes.list({ target, since: iso(since), until: iso(since + 3 * 86_400_000) }, { limit: 50 });
    });
    const dayRange = await time(samples, async () => {
      const since = startMs + Math.floor(random() * (days - 1)) * 86_400_000 + Math.floor(random() * 86_400_000);
      await store.changes.list({ since: iso(since), until: iso(since + 86_400_000) }, { limit: 50 });
    });
    const verdict = await store.audit.verify(changeId(0));
    const requests = counter.counts();
    const scans = (loadRequests['ScanCommand'] ?? 0) + (requests['ScanCommand'] ?? 0);

    log(`(a) events of one change (${perChange}):                 ${show(changeEvents)}`);
    log(`(b) a target's changes in a 3-day range (limit 50): ${show(targetRange)}`);
    log(`(c) all changes in a 1-day range (limit 50):        ${show(dayRange)}`);
    log(`chain of ${changeId(0)} verifies: ${verdict.valid} (${verdict.events} events)`);
    log(`query requests: ${describe(requests)}`);
    log(`Scan requests: ${scans}`);
    return { events: perChange * changes, changes, loadSeconds, changeEvents, targetRange, dayRange, requests, scans };
  } finally {
    raw.destroy();
    await server.stop();
  }
}

async function load(
  client: DynamoDBDocumentClient,
  changes: number,
  perChange: number,
  concurrency: number,
  progress: (done: number, total: number) => void,
): Promise<void> {
  const total = changes * (perChange + 1);
  let done = 0;
  let nextReport = total / 20;
  const inFlight = new Set<Promise<void>>();
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    const items = batch;
    batch = [];
    const task = writeBatch(client, items).then(() => {
      done += items.length;
      if (done >= nextReport) {
        progress(done, total);
        nextReport += total / 20;
      }
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  for (let i = 0; i < changes; i += 1) {
    for (const item of changeItems(i, perChange, changes)) {
      batch.push(item);
      if (batch.length === 25) await flush();
    }
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
}

/** A change record and its whole sealed chain, exactly as the store would have written them. */
function changeItems(i: number, perChange: number, changes: number): Record<string, unknown>[] {
  const id = changeId(i);
  const createdMs = startMs + Math.floor((i / changes) * days * 86_400_000) + (i % 7) * 1000;
  const chain: AuditEvent[] = [];
  for (let k = 0; k < perChange; k += 1) {
    const stage = Math.min(eventTypes.length - 1, Math.floor((k * eventTypes.length) / perChange));
    chain.push(
      sealEvent({
        changeId: id,
        seq: k + 1,
        at: iso(createdMs + k * 1500),
        type: eventTypes[stage] as string,
        status: statusFor[stage],
        actor: stage >= 5 && stage <= 8 ? 'agent@dc1' : 'workflow',
        detail: { step: k, dn: `uni/tn-k8s-prod-a/out-l3/lnodep-n/rsnodeL3OutAtt-[topology/pod-1/node-${101 + (k % 4)}]` },
        prevHash: chain[k - 1]?.hash ?? zeroHash,
      }),
    );
  }
  const last = chain[chain.length - 1] as AuditEvent;
  const change: ChangeRecord = {
    changeId: id,
    status: 'SUCCEEDED',
    ticket: { system: 'servicenow', key: `CHG${String(i).padStart(7, '0')}` },
    source: 'servicenow',
    targets: { site: 'dc1', fabric: `f${i % fabrics}`, cluster: `c${i % clusters}` },
    requestedBy: 'bench',
    mode: 'apply',
    createdAt: iso(createdMs),
    updatedAt: last.at,
  };
  return [{ ...changeItem(change), auditHead: { seq: last.seq, hash: last.hash } }, ...chain.map(eventItem)];
}

async function writeBatch(client: DynamoDBDocumentClient, items: Record<string, unknown>[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length > 0; attempt += 1) {
    if (attempt > 0) await systemClock.sleep(Math.min(1000, 20 * 2 ** attempt));
    const out = await client.send(new BatchWriteCommand({ RequestItems: { changeflow: requests } }));
    requests = (out.UnprocessedItems?.['changeflow'] ?? []) as typeof requests;
  }
}

async function time(samples: number, run: () => Promise<void>): Promise<Percentiles> {
  for (let i = 0; i < Math.min(20, samples); i += 1) await run();
  const ms: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] as number;
  return { p50: at(0.5), p99: at(0.99), max: ms[ms.length - 1] as number, samples };
}

async function startDynaliteProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const script =
    "const s=require('dynalite')({createTableMs:0});s.listen(0,'127.0.0.1',()=>console.log(s.address().port));" +
    "process.on('SIGTERM',()=>{s.closeAllConnections();s.close(()=>process.exit(0));});";
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=8192', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [port] = (await once(lines, 'line')) as [string];
  return {
    endpoint: `http://127.0.0.1:${port.trim()}`,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const changeId = (i: number) => `bench-${String(i).padStart(6, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();
const fmt = (n: number) => n.toLocaleString('en-US');
const describe = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k.replace(/Command$/, '')} ${fmt(v)}`)
    .join(', ');
const show = (p: Percentiles) => `p50 ${p.p50.toFixed(1)} ms  p99 ${p.p99.toFixed(1)} ms  max ${p.max.toFixed(1)} ms  (${p.samples} samples)`;
