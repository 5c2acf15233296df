import {
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { AgentErrorName, AgentTask, PROTOCOL, type AgentCommand, type AgentResult, type CommandResult } from '../shared/agent-protocol/index.js';
import { commandTargets, type RunCommand } from './command-context.js';
import type { HealthReporter } from './health.js';
import { describeInputIssues } from './input-issues.js';
import type { AgentLog } from './log.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { Redactor } from '../shared/runtime/redact.js';
import { fitResult } from './result-size.js';
import type { ResultStore } from './result-store.js';
import { agentResultChunks } from '../shared/store/index.js';
import type { TargetMutex } from './target-mutex.js';
import { ChangeflowError } from '../shared/errors.js';
import { systemClock, type Clock } from '../shared/runtime/clock.js';

// Long-polls one site's Activity and runs each task's commands. Outbound only: the agent asks
// Step Functions for work; nothing ever connects to it.

export interface ActivityWorkerOptions {
  readonly sfn: SFNClient;
  readonly site: string;
  readonly activityArn: string;
  readonly workerName: string;
  readonly version: string;
  readonly runCommand: RunCommand;
  /**
   * Refuses a task before anything is touched (signature, plan binding, scope allowlist): throws
   * a named error (TaskNotSigned, TaskSignatureInvalid, TaskOutsidePlan, TaskOutsideScope, …).
   */
  readonly guard: (task: AgentTask) => void;
  readonly configured: { readonly fabrics: readonly string[]; readonly clusters: readonly string[] };
  readonly redactor: Redactor;
  readonly log: AgentLog;
  readonly health: HealthReporter;
  readonly mutex: TargetMutex;
  readonly maxResultBytes: number;
  /**
   * A result larger than this is stored (`resultStore`) and sent as {ref, sha256, bytes}; with no
   * store configured it is sent inline, summarised to `maxResultBytes` if it must be.
   */
  readonly inlineResultBytes?: number;
  readonly resultStore?: ResultStore;
  readonly now: () => Date;
  /** Times the poll backoff, the heartbeats and the step deadline (tests move one by hand). */
  readonly clock?: Clock;
  /**
   * agent.crash=STEP (lab fault): the process dies in that step — right after its first device
   * write in a step that writes (so the rollback has something real to undo), else at its first
   * checkpoint.
   */
  readonly crashStep?: string;
  readonly crash?: () => never;
  /** Where a long step's progress goes (config `progress`); none: the step says nothing until it ends. */
  readonly progress?: ProgressReporter;
}

const causeLimit = 32_000; // SendTaskFailure cause is at most 32,768 characters

export class ShutdownRequested extends ChangeflowError {
  override readonly name = 'AgentShutdown' as const;
}

export class CommandDeadlineExceeded extends ChangeflowError {
  override readonly name = 'CommandDeadlineExceeded' as const;
}

export class ResultTooLarge extends ChangeflowError {
  override readonly name = 'ResultTooLarge' as const;
}

export class ActivityWorker {
  private stopping = false;
  private readonly pollAbort = new AbortController();
  private readonly shutdown = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly clock: Clock;

  constructor(private readonly opts: ActivityWorkerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  start(concurrency: number): void {
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop());
  }

  /** Stops polling at once; a running task is failed with AgentShutdown, not finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pollAbort.abort();
    this.shutdown.abort(new ShutdownRequested('the agent is shutting down (SIGTERM); the workflow will roll back'));
    await Promise.allSettled([...this.loops, ...this.running]);
  }

  private async loop(): Promise<void> {
    const { sfn, activityArn, workerName, log, health } = this.opts;
    let backoffMs = 500;
    while (!this.stopping) {
      let token: string | undefined;
      let input: string | undefined;
      try {
        // An idle long poll lasts up to 60 s: say 'polling' as it starts, not when it returns.
        if (health.health.state === 'starting') {
          health.health.state = 'polling';
          void health.flush();
        }
        const out = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName }), { abortSignal: this.pollAbort.signal });
        health.health.lastPollAt = this.opts.now().toISOString();
        if (!this.stopping) health.health.state = 'polling';
        void health.flush();
        token = out.taskToken;
        input = out.input;
        backoffMs = 500;
      } catch (err) {
        if (this.stopping) break;
        log.log('warn', 'GetActivityTask failed; retrying', { error: (err as Error).message, retryInMs: backoffMs });
        try {
          await this.clock.sleep(backoffMs, this.pollAbort.signal);
        } catch (wakeup) {
          // Only stop() aborts this wait; the loop condition then ends the loop.
          if (!this.pollAbort.signal.aborted) throw wakeup;
        }
        backoffMs = Math.min(backoffMs * 2, 30_000);
        continue;
      }
      if (!token) continue;
      if (this.stopping) {
        // Handed out just as the agent stopped: give it back now rather than by heartbeat timeout.
        await this.fail(token, 'AgentShutdown', 'the agent was shutting down when it received this task; nothing was run');
        break;
      }
      const work = this.handle(token, input ?? '');
      this.running.add(work);
      await work.finally(() => this.running.delete(work));
    }
  }

  private async handle(token: string, rawInput: string): Promise<void> {
    const { log } = this.opts;
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(rawInput);
    } catch {
      await this.fail(token, 'UnknownCommand', `task input is not JSON; expected a ${PROTOCOL} task — nothing was run`);
      return;
    }
    const parsed = AgentTask.safeParse(parsedJson);
    if (!parsed.success) {
      const issues = describeInputIssues(parsed.error, `the ${PROTOCOL} protocol`);
      log.log('warn', 'refused a task that is not a changeflow agent command', { issues });
      await this.fail(
        token,
        'UnknownCommand',
        `not a ${PROTOCOL} task: ${issues.join('; ')} — the agent runs only the commands of its protocol; nothing was run, fix the task input`,
      );
      return;
    }
    const task = parsed.data;
    const notConfigured = this.unconfiguredTarget(task);
    if (notConfigured) {
      await this.fail(token, 'TargetNotConfigured', notConfigured);
      return;
    }
    try {
      this.opts.guard(task);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const name = AgentErrorName.safeParse(error.name).success ? error.name : 'AgentError';
      // A refused task is a security event: logged at error level with what was refused and why.
      log.log('error', 'task refused', { changeId: task.changeId, step: task.step, site: task.site, error: name, message: error.message });
      this.opts.health.health.failed++;
      await this.fail(token, name, error.message);
      return;
    }
    await this.run(token, task);
  }

  private unconfiguredTarget(task: AgentTask): string | undefined {
    const { fabrics, clusters } = this.opts.configured;
    for (const command of task.commands) {
      const { fabric, cluster } = commandTargets(command);
      if (fabric !== undefined && !fabrics.includes(fabric)) return `fabric ${fabric} is not in this agent's config (known: ${fabrics.join(', ') || 'none'})`;
      if (cluster !== undefined && !clusters.includes(cluster)) return `cluster ${cluster} is not in this agent's config (known: ${clusters.join(', ') || 'none'})`;
    }
    return undefined;
  }

  private async run(token: string, task: AgentTask): Promise<void> {
    const { sfn, log, health, redactor, now } = this.opts;
    const startedAt = now();
    const entry = { changeId: task.changeId, step: task.step, site: task.site, startedAt: startedAt.toISOString() };
    health.health.running.push(entry);
    void health.flush();
    const deadline = new Date(startedAt.getTime() + task.deadlineSeconds * 1000);
    const commandAbort = new AbortController();
    // Aborted when the task ends: stops the deadline and the heartbeats waiting on the clock.
    const ended = new AbortController();
    const whenEnded = (what: string) => (err: unknown) => {
      if (!ended.signal.aborted) log.log('error', `${what} stopped unexpectedly`, { changeId: task.changeId, step: task.step, error: (err as Error).message });
    };
    this.clock.sleep(task.deadlineSeconds * 1000, ended.signal).then(
      () => commandAbort.abort(new CommandDeadlineExceeded(`${task.step} did not finish within its ${task.deadlineSeconds} s deadline`)),
      whenEnded('the step deadline'),
    );
    const onShutdown = () => commandAbort.abort(this.shutdown.signal.reason);
    if (this.shutdown.signal.aborted) onShutdown();
    else this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    // Heartbeat every third of the step's HeartbeatSeconds; if Step Functions says the task is
    // gone (timed out, execution stopped) there is nobody to report to: abort the command.
    const beatEveryMs = Math.max(250, (task.heartbeatSeconds * 1000) / 3);
    void (async () => {
      for (;;) {
        await this.clock.sleep(beatEveryMs, ended.signal);
        sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })).catch((err: Error) => {
          log.log('warn', 'heartbeat refused; abandoning the task', { changeId: task.changeId, step: task.step, error: err.name });
          commandAbort.abort(new ShutdownRequested(`Step Functions no longer accepts this task (${err.name})`));
        });
      }
    })().catch(whenEnded('heartbeats'));
    const crashLabel = task.step.replace('-', '.');
    const writes = task.step === 'apply-aci' || task.step === 'apply-cluster' || task.step === 'rollback';
    log.log('info', 'task started', { changeId: task.changeId, step: task.step, commands: task.commands.map((c) => c.type) });
    try {
      const runOne = async (command: AgentCommand): Promise<CommandResult> => {
        const { fabric, cluster } = commandTargets(command);
        const targets = [fabric && `fabric:${fabric}`, cluster && `cluster:${cluster}`].filter((t): t is string => Boolean(t));
        return this.opts.mutex.run(targets, () =>
          raceAbort(
            this.opts.runCommand(command, {
              signal: commandAbort.signal,
              deadline,
              task,
              log: this.opts.log,
              clock: this.clock,
              progress: this.opts.progress ? (p) => this.opts.progress?.report(task, p) : undefined,
              checkpoint: (label, at) => {
                if (this.opts.crashStep === crashLabel && (!writes || at?.afterWrite === true)) {
                  log.log('error', 'lab fault agent.crash: the agent process dies now', { step: task.step, checkpoint: label });
                  (this.opts.crash ?? (() => process.exit(137)))();
                }
                if (commandAbort.signal.aborted) throw commandAbort.signal.reason;
              },
            }),
            commandAbort.signal,
          ),
        );
      };
      // Gathering facts reads the fabric and the cluster: both at once (each target still one
      // command at a time, the mutex). Steps that write keep their order.
      const results: CommandResult[] = task.step === 'gather-facts' ? await Promise.all(task.commands.map(runOne)) : [];
      if (task.step !== 'gather-facts') for (const command of task.commands) results.push(await runOne(command));
      const full: AgentResult = redactor.value({
        protocol: PROTOCOL,
        changeId: task.changeId,
        step: task.step,
        agent: { name: this.opts.workerName, version: this.opts.version },
        startedAt: startedAt.toISOString(),
        finishedAt: now().toISOString(),
        results,
      });
      const body = await this.answerBody(task, full);
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: body }));
      health.health.completed++;
      log.log('info', 'task finished', { changeId: task.changeId, step: task.step, ms: now().getTime() - startedAt.getTime(), bytes: Buffer.byteLength(body, 'utf8') });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const known = AgentErrorName.safeParse(error.name).success;
      const name = known ? error.name : 'AgentError';
      health.health.failed++;
      log.log('error', 'task failed', { changeId: task.changeId, step: task.step, error: error.name, message: error.message });
      // The workflow matches the protocol's names; a more specific one stays in the cause.
      await this.fail(token, name, known ? error.message : `${error.name}: ${error.message}`);
    } finally {
      ended.abort();
      this.shutdown.signal.removeEventListener('abort', onShutdown);
      health.health.running = health.health.running.filter((r) => r !== entry);
      void health.flush();
    }
  }

  /**
   * What goes through SendTaskSuccess: the result itself when it is small; else a reference to
   * it once stored (the state and history then carry ~300 bytes, not megabytes); else — no store
   * configured, or storing failed — the result summarised to fit, as before references existed.
   */
  private async answerBody(task: AgentTask, full: AgentResult): Promise<string> {
    const whole = JSON.stringify(full);
    const bytes = Buffer.byteLength(whole, 'utf8');
    const store = this.opts.resultStore;
    if (store && bytes > (this.opts.inlineResultBytes ?? this.opts.maxResultBytes)) {
      const { ref, items } = agentResultChunks(task.changeId, task.step, Buffer.from(whole, 'utf8'), PROTOCOL);
      try {
        await store.put(items);
        this.opts.log.log('info', 'result stored by reference', { changeId: task.changeId, step: task.step, bytes, chunks: items.length });
        return JSON.stringify(ref);
      } catch (err) {
        // The result still reaches the workflow, summarised: what was dropped is named in it.
        this.opts.log.log('warn', 'result not stored; sending it summarised', { changeId: task.changeId, step: task.step, error: (err as Error).name, message: (err as Error).message });
      }
    }
    const output = fitResult(full, this.opts.maxResultBytes);
    const body = JSON.stringify(output);
    if (Buffer.byteLength(body, 'utf8') > this.opts.maxResultBytes) {
      // Sending it would be refused by Step Functions and cutting it would corrupt it: failing
      // makes the workflow roll back what it cannot account for.
      throw new ResultTooLarge(
        `${task.step} finished but its result is ${Buffer.byteLength(body, 'utf8')} bytes even after dropping ${output.summarised?.dropped.join(', ') ?? 'nothing'} (limit ${this.opts.maxResultBytes}); split the change into smaller ones`,
      );
    }
    return body;
  }

  private async fail(token: string, error: string, cause: string): Promise<void> {
    try {
      await this.opts.sfn.send(
        new SendTaskFailureCommand({ taskToken: token, error, cause: this.opts.redactor.text(cause).slice(0, causeLimit) }),
      );
    } catch (err) {
      // The task may already have timed out; the workflow then follows its timeout path.
      this.opts.log.log('warn', 'could not report a task failure', { error: (err as Error).name, reported: error });
    }
  }
}

/** Settles as soon as the signal aborts, even if the command ignores its signal. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}
