import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ActivityQueues } from './activity-queue.js';
import { ExecutionAlreadyExists, ExecutionDoesNotExist, InvalidArn, InvalidExecutionInput } from './api-errors.js';
import type { ExecutionRecord } from './execution-record.js';
import { runExecution, type ResumePoint, type RunDeps, type RunningExecution } from './execution-run.js';
import { ExecutionStore } from './execution-store.js';
import { LambdaRunner } from './lambda-runner.js';
import { assertName, MachineRegistry, type RegisteredMachine } from './machine-registry.js';
import { DynamoIntegration, type Alert } from './service-integrations.js';
import type { LocalMachineDef } from './stack-machines.js';
import { TaskTokenTable } from './task-tokens.js';
import type { Timers } from './timers.js';

export interface LocalSfnOptions {
  machines: LocalMachineDef[];
  region?: string;
  accountId?: string;
  /** Persist executions under <dataDir>/sfn/ so a dev restart still lists them. */
  dataDir?: string;
  /** DynamoDB endpoint (dynalite) for dynamodb:* service integrations. */
  dynamodbEndpoint?: string;
  /** GetActivityTask long-poll limit; AWS uses 60 s, tests use less. */
  activityPollMs?: number;
  /** Root that `changeflow:entry` paths are relative to; defaults to this repository. */
  rootDir?: string;
  /** Clock of heartbeat and callback deadlines; tests pass a manual one. */
  timers?: Timers;
  /**
   * Milliseconds a named Wait state pauses instead of its Seconds/SecondsPath (tests only: an
   * observation interval is at least 5 s by the spec's rule, a test has no 5 s to spare).
   */
  waitTimeOverrides?: Readonly<Record<string, number>>;
  log?: (line: string) => void;
}

interface ExecutionEntry {
  record: ExecutionRecord;
  run?: RunningExecution;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const maxInputBytes = 262_144;

export class LocalSfnRuntime {
  readonly region: string;
  readonly accountId: string;
  readonly activities: ActivityQueues;
  /** Every open task token, activity or callback: SendTaskSuccess/Failure/Heartbeat go here. */
  readonly tokens: TaskTokenTable;
  readonly registry: MachineRegistry;
  private readonly executions = new Map<string, ExecutionEntry>();
  private readonly alertList: Alert[] = [];
  private readonly runner: LambdaRunner;
  private readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  private readonly dynamo?: DynamoIntegration;
  private readonly store?: ExecutionStore;
  private readonly dirty = new Set<ExecutionRecord>();
  private flushTimer?: NodeJS.Timeout;
  readonly log: (line: string) => void;

  constructor(options: LocalSfnOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.tokens = new TaskTokenTable(options.timers);
    this.waitTimeOverrides = options.waitTimeOverrides;
    this.activities = new ActivityQueues(options.activityPollMs ?? 60_000, this.tokens);
    this.runner = new LambdaRunner(options.rootDir ?? repoRoot);
    if (options.dynamodbEndpoint) this.dynamo = new DynamoIntegration({ endpoint: options.dynamodbEndpoint, region: this.region });
    // Refuses the stack (a Task without local implementation…) before anything touches the disk.
    this.registry = new MachineRegistry(this, this.runner, options.dynamodbEndpoint, options.machines);
    if (options.dataDir) this.store = new ExecutionStore(options.dataDir, this.log);
    const records = this.store?.load(Date.now(), (r) => this.resumePoint(r) !== undefined) ?? [];
    for (const record of records) {
      const entry: ExecutionEntry = { record };
      this.executions.set(record.executionArn, entry);
      if (record.status !== 'RUNNING') continue;
      // An execution that was waiting for a callback token waits again for the same token.
      const machine = this.registry.stateMachine(record.stateMachineArn);
      entry.run = runExecution(record, this.runDeps(machine), this.resumePoint(record));
      this.log(`sfn: ${record.name} waits again for its callback at "${record.callbacks?.[0]?.stateName}"`);
    }
  }

  /**
   * A restored execution can go on only from one outstanding callback at a top-level state of a
   * machine this runtime serves (the interpreter cannot start inside a Parallel or Map branch).
   */
  private resumePoint(record: ExecutionRecord): ResumePoint | undefined {
    const [callback, ...more] = record.callbacks ?? [];
    if (!callback || more.length > 0) return undefined;
    const machine = this.registry.listStateMachines().find((m) => m.def.arn === record.stateMachineArn);
    if (!machine || !(callback.stateName in machine.def.definition.States)) return undefined;
    const entered = record.events.findLast((e) => e.type === 'TaskStateEntered' && (e['stateEnteredEventDetails'] as { name?: string } | undefined)?.name === callback.stateName);
    const input = (entered?.['stateEnteredEventDetails'] as { input?: unknown } | undefined)?.input;
    if (typeof input !== 'string') return undefined;
    return { callback, input: JSON.parse(input) };
  }

  private runDeps(machine: RegisteredMachine): RunDeps {
    return {
      machine: machine.def,
      interpreter: machine.interpreter,
      bindings: machine.bindings,
      region: this.region,
      lambdas: machine.def.lambdas,
      runner: this.runner,
      activities: this.activities,
      tokens: this.tokens,
      alerts: this.alertList,
      log: this.log,
      dynamo: this.dynamo,
      changed: (r, urgent) => this.changed(r, urgent),
      ...(this.waitTimeOverrides ? { waitTimeOverrides: this.waitTimeOverrides } : {}),
    };
  }

  // ── executions ────────────────────────────────────────────────────────────────────────────

  /**
   * Standard-workflow idempotency: the same name and input while RUNNING returns the original
   * execution; a different input, or a closed execution, is ExecutionAlreadyExists.
   */
  startExecution(input: { stateMachineArn: string; name?: string; input?: string }): ExecutionRecord {
    const machine = this.registry.stateMachine(input.stateMachineArn);
    const name = input.name ?? randomUUID();
    assertName(name);
    const text = input.input ?? '{}';
    if (Buffer.byteLength(text) > maxInputBytes) throw new InvalidExecutionInput(`Invalid execution input: larger than ${maxInputBytes} bytes`);
    try {
      JSON.parse(text);
    } catch (error) {
      throw new InvalidExecutionInput(`Invalid execution input: not JSON (${(error as Error).message})`);
    }
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.def.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.record.status === 'RUNNING' && existing.record.input === text && machine.def.type === 'STANDARD') return existing.record;
      throw new ExecutionAlreadyExists(`Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.def.arn,
      name,
      status: 'RUNNING',
      startDate: Date.now(),
      input: text,
      events: [],
    };
    const entry: ExecutionEntry = { record };
    this.executions.set(executionArn, entry);
    entry.run = runExecution(record, this.runDeps(machine));
    this.changed(record);
    return record;
  }

  execution(executionArn: string): ExecutionRecord {
    if (!/^arn:aws:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new InvalidArn(`Invalid Arn: '${executionArn}' is not an execution ARN`);
    }
    const entry = this.executions.get(executionArn);
    if (!entry) throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${executionArn}'`);
    return entry.record;
  }

  /** Newest first, as ListExecutions answers. */
  listExecutions(stateMachineArn: string, status?: ExecutionRecord['status']): ExecutionRecord[] {
    this.registry.stateMachine(stateMachineArn);
    return [...this.executions.values()]
      .map((e) => e.record)
      .filter((r) => r.stateMachineArn === stateMachineArn && (!status || r.status === status))
      .reverse()
      .sort((a, b) => b.startDate - a.startDate);
  }

  stopExecution(executionArn: string, error?: string, cause?: string): ExecutionRecord {
    const record = this.execution(executionArn);
    this.executions.get(executionArn)?.run?.stop(error, cause);
    return record;
  }

  /** Resolves when the execution is closed (tests and `changeflow dev --demo` wait on this). */
  async waitForExecution(executionArn: string): Promise<ExecutionRecord> {
    const record = this.execution(executionArn);
    await this.executions.get(executionArn)?.run?.done;
    return record;
  }

  /** Messages the workflow published with sns:publish, oldest first. */
  alerts(): Alert[] {
    return [...this.alertList];
  }

  // ── persistence and shutdown ──────────────────────────────────────────────────────────────

  private changed(record: ExecutionRecord, urgent = false): void {
    if (!this.store) return;
    this.dirty.add(record);
    // A token handed out must survive a crash right after: save before anyone can answer it.
    if (record.status !== 'RUNNING' || urgent) return this.flush();
    // Progress between those is batched: a record that lags by a moment only shows less history
    // after a crash, and the crash closes it ABORTED either way.
    this.flushTimer ??= setTimeout(() => this.flush(), 250).unref();
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const record of this.dirty) this.store?.save(record);
    this.dirty.clear();
  }

  async close(): Promise<void> {
    for (const entry of this.executions.values()) if (entry.record.status === 'RUNNING') entry.run?.halt();
    this.activities.shutdown();
    this.flush();
    await this.dynamo?.destroy();
  }
}
