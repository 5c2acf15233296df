import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import * as z from '../../shared/zod.js';
import { watchChange } from '../../cli/change-watch.js';
import { repoRoot } from '../../local/dev/dev-stack.js';
import { readEndpointsFile, StackEndpoints } from '../../local/lab/endpoints.js';
import { ChangeSpec } from '../../shared/spec/index.js';
import { AuditEvent, ChainVerdict, ChangeRecord, createStore, type Lease, type Store } from '../../shared/store/index.js';
import type { StepBudget } from '../faults/fault-timing.js';
import { CallsReply, ChildMessage, DeliveryReply, DumpsReply, type BookName, type ChildOptions, type StackRequest } from '../faults/stack-protocol.js';

// The fault suite's side of a dev stack that runs in a child process (test/faults/stack-child.ts):
// start it, drive its lab faults over IPC, start changes over its HTTP API, follow each to its end
// and collect every fact a fault case asserts — terminal status, the execution, leftover RUNNING
// executions, locks, the audit chain, the lab dumps — read the way an operator's tools read them.

export const labFabric = 'fabric:dc1-aci';
export const labCluster = 'cluster:prod-a';

export interface Dumps {
  readonly apic: string;
  readonly kubernetes: string;
}

export class FaultStack {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    readonly dir: string,
    readonly endpoints: StackEndpoints,
    readonly store: Store,
    readonly sfn: SFNClient,
    private readonly child: ChildProcess,
    private readonly dynamo: DynamoDBClient,
  ) {
    child.on('message', (raw) => {
      const message = ChildMessage.safeParse(raw);
      if (!message.success || message.data.kind !== 'reply') return;
      const waiting = this.pending.get(message.data.id);
      this.pending.delete(message.data.id);
      if (message.data.ok) waiting?.resolve(message.data.value);
      else waiting?.reject(new Error(`stack child: ${message.data.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const w of this.pending.values()) w.reject(new Error(`the stack child exited (${signal ?? code}) before answering`));
      this.pending.clear();
    });
  }

  static async start(opts: { name: string; faults?: string[]; steps?: StepBudget }): Promise<FaultStack> {
    const dir = await mkdtemp(join(tmpdir(), `changeflow-faults-${opts.name}-`));
    const options: ChildOptions = { dataDir: dir, faults: opts.faults ?? [], steps: opts.steps ?? {} };
    // The Lambda handlers log to stdout: into stack.log with the stack's and the agent's lines.
    const stdout = openSync(join(dir, 'stack.log'), 'a');
    const child = fork(join(repoRoot, 'bin/run-ts.mjs'), [join(repoRoot, 'test/faults/stack-child.ts'), JSON.stringify(options)], { cwd: repoRoot, stdio: ['ignore', stdout, 'pipe', 'ipc'] });
    closeSync(stdout);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => void (stderr = `${stderr}${chunk.toString('utf8')}`.slice(-4000)));
    const ready = await new Promise<ChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stack ${opts.name} did not start within 90 s; stderr: ${stderr}`)), 90_000);
      child.once('message', (raw) => {
        clearTimeout(timer);
        resolve(ChildMessage.parse(raw));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`stack ${opts.name} exited (${code}) while starting; stderr: ${stderr}`));
      });
    });
    if (ready.kind !== 'ready') {
      child.kill('SIGKILL');
      throw new Error(`stack ${opts.name} failed to start: ${ready.kind === 'startFailed' ? ready.error : ready.kind}`);
    }
    const endpoints = await readEndpointsFile(dir, StackEndpoints);
    const dynamo = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const store = createStore({ client: DynamoDBDocumentClient.from(dynamo), tableName: 'changeflow', now: () => new Date() });
    const sfn = new SFNClient({ endpoint: endpoints.sfn, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    return new FaultStack(dir, endpoints, store, sfn, child, dynamo);
  }

  private request(request: StackRequest): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, request });
    });
  }

  async clearFaults(): Promise<void> {
    await this.request({ op: 'clearFaults' });
  }

  async addFault(book: BookName, fault: string): Promise<void> {
    await this.request({ op: 'addFault', book, fault });
  }

  /** On the nth `call` (COMPONENT.ACTION, counted by book `on`) the `target` book holds just `fault` (fault-tap.ts). */
  async setFaultAt(on: BookName, call: string, nth: number, when: 'at' | 'after', target: BookName, fault: string): Promise<void> {
    await this.request({ op: 'setFaultAt', on, call, nth, when, target, fault });
  }

  async calls(book: BookName): Promise<z.infer<typeof CallsReply>> {
    return CallsReply.parse(await this.request({ op: 'calls', book }));
  }

  async dumps(): Promise<Dumps> {
    return DumpsReply.parse(await this.request({ op: 'dumps' }));
  }

  async agentRestarts(): Promise<number> {
    return z.number().parse(await this.request({ op: 'agentRestarts' }));
  }

  async serviceNowDelivery(title: string, specYaml: string): Promise<z.infer<typeof DeliveryReply>> {
    return DeliveryReply.parse(await this.request({ op: 'serviceNowDelivery', title, specYaml }));
  }

  /** The stack's and its agent's log lines. */
  async log(): Promise<string[]> {
    return (await readFile(join(this.dir, 'stack.log'), 'utf8')).split('\n');
  }

  async close(): Promise<void> {
    this.sfn.destroy();
    this.dynamo.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
      await this.request({ op: 'close' }).catch((err: Error) => {
        // Already gone or wedged: the SIGKILL above ends it.
        this.child.kill('SIGKILL');
        return err;
      });
      await exited;
      clearTimeout(kill);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

// ── Specs: the onboarding example with verification sized for the suite. ──

export function exampleSpec(file = 'examples/onboard-prod-a.yaml'): ChangeSpec {
  const spec = ChangeSpec.parse(parseYaml(readFileSync(join(repoRoot, file), 'utf8')));
  // 60 s is the schema's minimum test timeout; the agent cuts it further to fit the verify step.
  return { ...spec, verify: { connectivityTest: { ...spec.verify.connectivityTest, timeoutSeconds: 60 }, bgpEstablishedTimeoutSeconds: 10 } };
}

/** The same change with the pool moved to `block` and the egress IP to `egressIp`: on an onboarded lab, two APIC ops (delete, create). */
export function readdressed(spec: ChangeSpec, to: { block: string; egressIp: string }): ChangeSpec {
  return {
    ...spec,
    changes: spec.changes.map((c) => (c.type === 'loadBalancerPool' ? { ...c, blocks: [to.block] } : c.type === 'egressGateway' ? { ...c, egressIp: to.egressIp } : c)),
  };
}

// ── One change through the HTTP API. ──

export const Started = z.object({ changeId: z.string(), executionArn: z.string(), status: z.literal('started') });
export type Started = z.infer<typeof Started>;

/** POST /changes (manual start, no ticket); the Idempotency-Key keeps equal specs apart. */
export async function startChange(fs: FaultStack, spec: ChangeSpec, key: string): Promise<Started> {
  const res = await fetch(`${fs.endpoints.api}/changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ source: 'api', requestedBy: 'fault-suite', ticket: { system: 'none' }, spec }),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`expected 202 from POST /changes, found ${res.status}: ${text.slice(0, 400)}`);
  return Started.parse(JSON.parse(text));
}

export interface Ending {
  readonly change: ChangeRecord;
  readonly events: AuditEvent[];
  readonly execution: { status: string; error?: string };
  /** Executions of any state machine still RUNNING once this one ended. */
  readonly running: string[];
  readonly locks: { fabric?: Lease; cluster?: Lease };
  readonly chain: ChainVerdict;
  readonly seconds: number;
}

const ChangeReply = z.object({ change: ChangeRecord });
const EventsReply = z.object({ events: z.array(AuditEvent) });

/** Follows the change to its terminal status, waits for its execution to stop, then reads the rest. */
export async function awaitEnd(fs: FaultStack, started: Started, since: number, timeoutMs = 150_000): Promise<Ending> {
  const api = fs.endpoints.api;
  const watched = await watchChange(
    { fetch },
    { api, changeId: started.changeId, intervalMs: 200, timeoutMs, onEvent: () => undefined },
  );
  if (watched.kind !== 'final') throw new Error(`change ${started.changeId} did not end within ${timeoutMs} ms (last status ${watched.change?.status ?? 'none'})`);
  const seconds = (Date.now() - since) / 1000;
  // The record is final a little before the execution ends (locks released, ticket written back).
  let described = await fs.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
  for (const deadline = Date.now() + 30_000; described.status === 'RUNNING' && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 100));
    described = await fs.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
  }
  const base = `${api}/changes/${encodeURIComponent(started.changeId)}`;
  const [reply, trail, chain, running, fabric, cluster] = await Promise.all([
    fetch(base).then(async (r) => ChangeReply.parse(await r.json())),
    fetch(`${base}/events`).then(async (r) => EventsReply.parse(await r.json())),
    fetch(`${base}/verify`).then(async (r) => ChainVerdict.parse(await r.json())),
    runningExecutions(fs.sfn),
    fs.store.locks.get(labFabric),
    fs.store.locks.get(labCluster),
  ]);
  return {
    change: reply.change,
    events: trail.events,
    execution: { status: described.status ?? 'UNKNOWN', error: described.error },
    running,
    locks: { fabric, cluster },
    chain,
    seconds,
  };
}

async function runningExecutions(sfn: SFNClient): Promise<string[]> {
  const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
  const out: string[] = [];
  for (const m of machines) {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: m.stateMachineArn, statusFilter: 'RUNNING' }));
    out.push(...(page.executions ?? []).map((e) => e.executionArn ?? '?'));
  }
  return out;
}

export interface CaseRun {
  readonly started: Started;
  readonly ended: Ending;
  readonly before: Dumps;
  readonly after: Dumps;
}

/** Dumps before, the change (started by `start`), its end, dumps after. Faults are the caller's to set first. */
export async function runChange(fs: FaultStack, start: () => Promise<Started>): Promise<CaseRun> {
  const before = await fs.dumps();
  const since = Date.now();
  const started = await start();
  const ended = await awaitEnd(fs, started, since);
  const after = await fs.dumps();
  return { started, ended, before, after };
}

/** "yes" when both lab dumps read byte for byte as before. */
export function restored(run: CaseRun): string {
  return run.after.apic === run.before.apic && run.after.kubernetes === run.before.kubernetes ? 'yes' : 'NO';
}

/** The audit detail of every event of one type, in order. */
export function detailsOf(events: readonly AuditEvent[], type: string): Array<Record<string, unknown>> {
  return events.filter((e) => e.type === type).map((e) => (e.detail ?? {}) as Record<string, unknown>);
}

/** `changeflow unlock TARGET` against this stack, as an operator runs it after ROLLBACK_FAILED. */
export async function cliUnlock(fs: FaultStack, target: string, reason: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'bin/changeflow.mjs'), 'unlock', target, '--reason', reason, '--by', 'fault-suite', '--data-dir', fs.dir],
      { timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}
