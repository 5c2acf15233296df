import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { StateMachine } from 'aws-local-stepfunctions';
import { ActivityQueues } from './activity-queue.js';
import {
  ActivityDoesNotExist,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
} from './api-errors.js';
import { ChangeflowError } from '../../shared/errors.js';
import type { ExecutionRecord } from './execution-record.js';
import { interpreterMachine, runExecution, type RunningExecution } from './execution-run.js';
import { ExecutionStore } from './execution-store.js';
import { LambdaRunner } from './lambda-runner.js';
import { DynamoIntegration, type Alert } from './service-integrations.js';
import { validateDefinition, type LocalActivityDef, type LocalMachineDef } from './stack-machines.js';
import { bindTasks, type TaskBinding } from './task-bindings.js';
import { InvalidStackMachine } from './errors.js';

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
  log?: (line: string) => void;
}

export interface RegisteredMachine {
  def: LocalMachineDef;
  creationDate: number;
  interpreter: StateMachine;
  bindings: Map<string, TaskBinding>;
}

export interface ActivityInfo {
  arn: string;
  name: string;
  creationDate: number;
}

interface ExecutionEntry {
  record: ExecutionRecord;
  run?: RunningExecution;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const namePattern = /^[A-Za-z0-9_-]{1,80}$/;
const maxInputBytes = 262_144;

export class LocalSfnRuntime {
  readonly region: string;
  readonly accountId: string;
  readonly activities: ActivityQueues;
  private readonly machines = new Map<string, RegisteredMachine>();
  private readonly activityInfo = new Map<string, ActivityInfo>();
  private readonly executions = new Map<string, ExecutionEntry>();
  private readonly alertList: Alert[] = [];
  private readonly runner: LambdaRunner;
  private readonly dynamo?: DynamoIntegration;
  private readonly store?: ExecutionStore;
  private readonly dirty = new Set<ExecutionRecord>();
  private flushTimer?: NodeJS.Timeout;
  readonly log: (line: string) => void;

  constructor(private readonly options: LocalSfnOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.activities = new ActivityQueues(options.activityPollMs ?? 60_000);
    this.runner = new LambdaRunner(options.rootDir ?? repoRoot);
    if (options.dynamodbEndpoint) this.dynamo = new DynamoIntegration({ endpoint: options.dynamodbEndpoint, region: this.region });
    if (options.dataDir) this.store = new ExecutionStore(options.dataDir, this.log);
    const now = Date.now();
    for (const machine of options.machines) {
      this.assertLocalArn(machine.arn, `state machine ${machine.name}`);
      for (const activity of machine.activities) this.registerActivity(activity, now);
    }
    for (const machine of options.machines) this.register(machine, now);
    for (const record of this.store?.load(now) ?? []) this.executions.set(record.executionArn, { record });
  }

  private assertLocalArn(arn: string, what: string): void {
    if (!arn.includes(`:${this.region}:${this.accountId}:`)) {
      throw new InvalidStackMachine(
        `${what} has ARN ${arn}, outside the runtime's region ${this.region} and account ${this.accountId}; ` +
          'pass the same region/accountId to loadStackMachines and startLocalSfn',
      );
    }
  }

  private registerActivity(activity: Pick<LocalActivityDef, 'arn' | 'name'>, now: number): ActivityInfo {
    const existing = this.activityInfo.get(activity.arn);
    if (existing) return existing;
    const info = { arn: activity.arn, name: activity.name, creationDate: now };
    this.activityInfo.set(activity.arn, info);
    return info;
  }

  /** Binds every Task (refusing the machine if one has no local implementation) and checks handler modules exist. */
  private register(def: LocalMachineDef, now: number): RegisteredMachine {
    const bindings = bindTasks(def, { activities: [...this.activityInfo.values()], dynamodbEndpoint: this.options.dynamodbEndpoint });
    for (const binding of bindings.values()) if (binding.kind === 'lambda-arn') this.runner.assertEntryExists(binding.lambda);
    for (const lambda of def.lambdas) this.runner.assertEntryExists(lambda);
    const machine = { def, creationDate: now, interpreter: interpreterMachine(def.definition), bindings };
    this.machines.set(def.arn, machine);
    return machine;
  }

  // ── state machines ────────────────────────────────────────────────────────────────────────

  listStateMachines(): RegisteredMachine[] {
    return [...this.machines.values()];
  }

  stateMachine(arn: string): RegisteredMachine {
    if (!/^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)) throw new InvalidArn(`Invalid Arn: '${arn}' is not a state machine ARN`);
    const machine = this.machines.get(arn);
    if (!machine) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  /** Registers a definition sent over the API; its Tasks must resolve to the stack's functions and activities. */
  createStateMachine(input: { name: string; definition: string; roleArn: string; type?: 'STANDARD' | 'EXPRESS' }): RegisteredMachine {
    if (!namePattern.test(input.name)) throw new InvalidName(`Invalid Name: '${input.name}' (1–80 characters of A–Z, a–z, 0–9, - and _)`);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${input.name}`;
    const existing = this.machines.get(arn);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.definition);
    } catch (error) {
      throw new InvalidDefinition(`Invalid State Machine Definition: not JSON (${(error as Error).message})`);
    }
    if (existing) {
      if (JSON.stringify(existing.def.definition) === JSON.stringify(parsed) && existing.def.roleArn === input.roleArn) return existing;
      throw new StateMachineAlreadyExists(`State Machine Already Exists: '${arn}' with a different definition or role`);
    }
    const known = [...this.machines.values()];
    try {
      const def: LocalMachineDef = {
        logicalId: input.name,
        name: input.name,
        arn,
        type: input.type ?? 'STANDARD',
        roleArn: input.roleArn,
        definition: validateDefinition(input.name, parsed),
        lambdas: [...new Map(known.flatMap((m) => m.def.lambdas).map((l) => [l.arn, l])).values()],
        activities: [...this.activityInfo.values()].map((a) => ({ logicalId: a.name, name: a.name, arn: a.arn })),
      };
      return this.register(def, Date.now());
    } catch (error) {
      if (error instanceof ChangeflowError && !(error instanceof InvalidName)) {
        throw new InvalidDefinition(`Invalid State Machine Definition: ${error.message}`);
      }
      throw error;
    }
  }

  // ── activities ────────────────────────────────────────────────────────────────────────────

  createActivity(name: string): ActivityInfo {
    if (!namePattern.test(name)) throw new InvalidName(`Invalid Name: '${name}' (1–80 characters of A–Z, a–z, 0–9, - and _)`);
    // CreateActivity is idempotent on AWS: the same name returns the same activity.
    return this.registerActivity({ arn: `arn:aws:states:${this.region}:${this.accountId}:activity:${name}`, name }, Date.now());
  }

  listActivities(): ActivityInfo[] {
    return [...this.activityInfo.values()];
  }

  activity(arn: string): ActivityInfo {
    if (!/^arn:aws:states:[^:]+:\d{12}:activity:[^:]+$/.test(arn)) throw new InvalidArn(`Invalid Arn: '${arn}' is not an activity ARN`);
    const info = this.activityInfo.get(arn);
    if (!info) throw new ActivityDoesNotExist(`Activity Does Not Exist: '${arn}'`);
    return info;
  }

  // ── executions ────────────────────────────────────────────────────────────────────────────

  /**
   * Standard-workflow idempotency: the same name and input while RUNNING returns the original
   * execution; a different input, or a closed execution, is ExecutionAlreadyExists.
   */
  startExecution(input: { stateMachineArn: string; name?: string; input?: string }): ExecutionRecord {
    const machine = this.stateMachine(input.stateMachineArn);
    const name = input.name ?? randomUUID();
    if (!namePattern.test(name)) throw new InvalidName(`Invalid Name: '${name}' (1–80 characters of A–Z, a–z, 0–9, - and _)`);
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
    entry.run = runExecution(record, {
      machine: machine.def,
      interpreter: machine.interpreter,
      bindings: machine.bindings,
      region: this.region,
      lambdas: machine.def.lambdas,
      runner: this.runner,
      activities: this.activities,
      alerts: this.alertList,
      log: this.log,
      dynamo: this.dynamo,
      changed: (r) => this.changed(r),
    });
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
    this.stateMachine(stateMachineArn);
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

  private changed(record: ExecutionRecord): void {
    if (!this.store) return;
    this.dirty.add(record);
    if (record.status !== 'RUNNING') return this.flush();
    this.flushTimer ??= setTimeout(() => this.flush(), 50).unref();
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
