import { randomBytes } from 'node:crypto';
import * as z from '../../shared/zod.js';
import { InvalidToken, TaskDoesNotExist, TaskTimedOut } from './api-errors.js';
import { TaskFailure } from './task-failure.js';
import { systemTimers, type Timers } from './timers.js';

// The engine's one table of task tokens: activity tasks handed to a worker and callback tasks
// (`.waitForTaskToken`) both wait here for SendTaskSuccess / SendTaskFailure, and both have their
// HeartbeatSeconds enforced here, since the interpreter knows nothing of heartbeats. A callback
// task's TimeoutSeconds is enforced here too (on the injectable clock); an activity's is raised
// by the interpreter and the table only closes the token just before.

export interface OpenTaskSpec {
  executionArn: string;
  heartbeatSeconds?: number;
  /** Arm the heartbeat timer at once (callbacks); activities arm it when a worker takes the task. */
  heartbeatFromOpen?: boolean;
  /** When the token closes as timed out, on the table's clock. */
  deadline?: number;
  /** The error the waiter gets at the deadline; undefined closes the token without rejecting. */
  timeoutError?: () => Error | undefined;
  /** Why a heartbeat was missed, for the States.HeartbeatTimeout cause. */
  heartbeatCause?: () => string;
  /** Bookkeeping when the token closes for any reason (history events, persistence). */
  onClose?: (how: TaskClose) => void;
}

export type TaskClose =
  | { kind: 'succeeded'; output: unknown }
  | { kind: 'failed'; error: string; cause: string }
  | { kind: 'timed-out'; error: 'States.Timeout' | 'States.HeartbeatTimeout'; cause: string }
  | { kind: 'cancelled'; cause: string };

interface OpenTask extends OpenTaskSpec {
  token: string;
  settle: { resolve: (output: unknown) => void; reject: (error: Error) => void };
  heartbeatTimer?: unknown;
  timeoutTimer?: unknown;
  heartbeating: boolean;
}

const TokenBody = z.object({ v: z.literal(1), id: z.string().check(z.minLength(16)) });
const maxTombstones = 10_000;

export class TaskTokenTable {
  private readonly open = new Map<string, OpenTask>();
  /** Tokens of closed tasks: a late SendTask* gets TaskTimedOut, as on AWS, not TaskDoesNotExist. */
  private readonly closed = new Set<string>();

  constructor(readonly timers: Timers = systemTimers) {}

  /** A fresh token: opaque to callers, recognisable to this table after a restart. */
  mint(): string {
    return Buffer.from(JSON.stringify({ v: 1, id: randomBytes(24).toString('base64url') })).toString('base64url');
  }

  /** Opens `token`; the promise settles with SendTaskSuccess's output or the task's failure. */
  wait(token: string, spec: OpenTaskSpec): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const task: OpenTask = { ...spec, token, settle: { resolve, reject }, heartbeating: false };
      this.open.set(token, task);
      if (spec.deadline !== undefined) {
        task.timeoutTimer = this.timers.setTimeout(() => {
          const cause = 'the task did not answer within its TimeoutSeconds';
          const error = spec.timeoutError?.();
          this.close(task, { kind: 'timed-out', error: 'States.Timeout', cause });
          if (error) reject(error);
        }, Math.max(0, spec.deadline - this.timers.now()));
      }
      if (spec.heartbeatFromOpen) this.startHeartbeats(token);
    });
  }

  isOpen(token: string): boolean {
    return this.open.has(token);
  }

  /** From now on the task must heartbeat within HeartbeatSeconds (a worker took it). */
  startHeartbeats(token: string): void {
    const task = this.open.get(token);
    if (!task || task.heartbeatSeconds === undefined) return;
    task.heartbeating = true;
    this.armHeartbeat(task);
  }

  succeed(token: string, output: unknown): void {
    const task = this.task(token);
    this.close(task, { kind: 'succeeded', output });
    task.settle.resolve(output);
  }

  fail(token: string, error: string, cause: string): void {
    const task = this.task(token);
    this.close(task, { kind: 'failed', error, cause });
    task.settle.reject(new TaskFailure(error, cause));
  }

  heartbeat(token: string): void {
    const task = this.task(token);
    if (task.heartbeating) this.armHeartbeat(task);
  }

  /** Ends every open task of an execution that stopped or finished (a branch may still wait). */
  cancelExecution(executionArn: string, reason: string): void {
    for (const task of [...this.open.values()]) {
      if (task.executionArn !== executionArn) continue;
      this.close(task, { kind: 'cancelled', cause: reason });
      task.settle.reject(new TaskFailure('States.Runtime', reason));
    }
  }

  /** Forgets every open task without settling it (server shutdown: the records stay as they are). */
  shutdown(): void {
    for (const task of [...this.open.values()]) this.clearTimers(task, true);
  }

  private close(task: OpenTask, how: TaskClose): void {
    this.clearTimers(task, false);
    task.onClose?.(how);
  }

  private clearTimers(task: OpenTask, silently: boolean): void {
    this.timers.clearTimeout(task.heartbeatTimer);
    this.timers.clearTimeout(task.timeoutTimer);
    this.open.delete(task.token);
    if (silently) return;
    this.closed.add(task.token);
    if (this.closed.size > maxTombstones) this.closed.delete(this.closed.values().next().value!);
  }

  private armHeartbeat(task: OpenTask): void {
    this.timers.clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = this.timers.setTimeout(() => {
      const cause = task.heartbeatCause?.() ?? `no SendTaskHeartbeat within HeartbeatSeconds ${task.heartbeatSeconds}`;
      this.close(task, { kind: 'timed-out', error: 'States.HeartbeatTimeout', cause });
      task.settle.reject(new TaskFailure('States.HeartbeatTimeout', cause));
    }, (task.heartbeatSeconds ?? 0) * 1000);
  }

  private task(token: string): OpenTask {
    if (!isWellFormed(token)) throw new InvalidToken(`task token "${token.slice(0, 40)}…" is not a token this runtime issued; pass the taskToken unchanged`);
    const task = this.open.get(token);
    if (task) return task;
    if (this.closed.has(token)) throw new TaskTimedOut('Task Timed Out: Provided task does not exist anymore (it timed out, finished or its execution stopped)');
    throw new TaskDoesNotExist('the task token is well formed but no task with it exists in this runtime (it may predate a restart)');
  }
}

function isWellFormed(token: string): boolean {
  if (token.length === 0 || token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(token)) return false;
  try {
    return TokenBody.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).success;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}
