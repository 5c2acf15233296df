import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { InvalidToken, TaskDoesNotExist, TaskTimedOut } from './api-errors.js';
import { TaskFailure } from './task-failure.js';

// Activity tasks wait here for a worker's GetActivityTask. The interpreter knows nothing of
// heartbeats, so the queue enforces HeartbeatSeconds itself and fails the task with
// States.HeartbeatTimeout: a worker that died mid-task ends in the definition's Catch instead of
// leaving the execution RUNNING forever.

export interface ActivityTaskEvents {
  started(workerName: string): void;
  succeeded(output: unknown): void;
  failed(error: string, cause: string): void;
  timedOut(error: 'States.Timeout' | 'States.HeartbeatTimeout', cause: string): void;
}

export interface ScheduleRequest {
  activityArn: string;
  executionArn: string;
  input: unknown;
  heartbeatSeconds?: number;
  timeoutSeconds?: number;
  /**
   * When the task closes as timed out. Only bookkeeping: the interpreter raises States.Timeout
   * into the execution itself, just after.
   */
  timeoutMs?: number;
  events: ActivityTaskEvents;
}

interface ActivityTask extends ScheduleRequest {
  token: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  heartbeatTimer?: NodeJS.Timeout;
  timeoutTimer?: NodeJS.Timeout;
  workerName?: string;
}

interface Waiter {
  workerName: string;
  deliver: (task: ActivityTask | null) => void;
}

const TokenBody = z.object({ v: z.literal(1), id: z.string().min(16) });
const maxTombstones = 10_000;

export class ActivityQueues {
  private readonly pending = new Map<string, ActivityTask[]>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly open = new Map<string, ActivityTask>();
  /** Tokens of closed tasks: a late SendTask* gets TaskTimedOut, as on AWS, not TaskDoesNotExist. */
  private readonly closed = new Set<string>();

  constructor(private readonly maxPollMs: number) {}

  /** Queues a task; the promise settles with the worker's output or the task's failure. */
  schedule(request: ScheduleRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = randomBytes(24).toString('base64url');
      const token = Buffer.from(JSON.stringify({ v: 1, id })).toString('base64url');
      const task: ActivityTask = { ...request, token, resolve, reject };
      this.open.set(token, task);
      if (request.timeoutMs !== undefined) {
        task.timeoutTimer = setTimeout(() => {
          // The interpreter's own timer (same duration, armed right after this one) raises
          // States.Timeout into the execution; here the task only closes and records why.
          this.closeTask(task);
          task.events.timedOut('States.Timeout', `activity task exceeded TimeoutSeconds ${request.timeoutSeconds}`);
        }, request.timeoutMs);
      }
      const waiter = this.waiters.get(request.activityArn)?.shift();
      if (waiter) waiter.deliver(task);
      else this.queueOf(this.pending, request.activityArn).push(task);
    });
  }

  /** Long-polls for a task; `null` after maxPollMs or when the caller goes away. */
  poll(activityArn: string, workerName: string, signal?: AbortSignal): Promise<{ taskToken: string; input: unknown } | null> {
    const queued = this.pending.get(activityArn)?.shift();
    if (queued) return Promise.resolve(this.start(queued, workerName));
    return new Promise((resolve) => {
      const waiters = this.queueOf(this.waiters, activityArn);
      const timer = setTimeout(() => finish(null), this.maxPollMs);
      const onAbort = (): void => finish(null);
      const waiter: Waiter = {
        workerName,
        deliver: (task) => {
          if (task && signal?.aborted) {
            // The worker hung up while we looked: hand the task to the next poller.
            this.queueOf(this.pending, activityArn).unshift(task);
            finish(null);
            return;
          }
          finish(task);
        },
      };
      const finish = (task: ActivityTask | null): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = waiters.indexOf(waiter);
        if (index >= 0) waiters.splice(index, 1);
        resolve(task ? this.start(task, workerName) : null);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.push(waiter);
    });
  }

  succeed(token: string, output: unknown): void {
    const task = this.task(token);
    this.closeTask(task);
    task.events.succeeded(output);
    task.resolve(output);
  }

  fail(token: string, error: string, cause: string): void {
    const task = this.task(token);
    this.closeTask(task);
    task.events.failed(error, cause);
    task.reject(new TaskFailure(error, cause));
  }

  heartbeat(token: string): void {
    const task = this.task(token);
    if (task.workerName !== undefined) this.armHeartbeat(task);
  }

  /** Ends every open task of an execution that stopped or finished (a branch may still wait). */
  cancelExecution(executionArn: string, reason: string): void {
    for (const task of [...this.open.values()]) {
      if (task.executionArn !== executionArn) continue;
      this.closeTask(task);
      task.reject(new TaskFailure('States.Runtime', reason));
    }
  }

  /** Releases every long poll and closes every open task (server shutdown). */
  shutdown(): void {
    for (const waiters of this.waiters.values()) for (const w of [...waiters]) w.deliver(null);
    for (const task of [...this.open.values()]) this.closeTask(task);
  }

  private closeTask(task: ActivityTask): void {
    clearTimeout(task.heartbeatTimer);
    clearTimeout(task.timeoutTimer);
    this.open.delete(task.token);
    const queue = this.pending.get(task.activityArn);
    const index = queue?.indexOf(task) ?? -1;
    if (queue && index >= 0) queue.splice(index, 1);
    this.closed.add(task.token);
    if (this.closed.size > maxTombstones) this.closed.delete(this.closed.values().next().value!);
  }

  private start(task: ActivityTask, workerName: string): { taskToken: string; input: unknown } {
    task.workerName = workerName;
    task.events.started(workerName);
    this.armHeartbeat(task);
    return { taskToken: task.token, input: task.input };
  }

  private armHeartbeat(task: ActivityTask): void {
    if (task.heartbeatSeconds === undefined) return;
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(() => {
      const cause = `no heartbeat from worker ${task.workerName ?? '?'} within HeartbeatSeconds ${task.heartbeatSeconds}`;
      this.closeTask(task);
      task.events.timedOut('States.HeartbeatTimeout', cause);
      task.reject(new TaskFailure('States.HeartbeatTimeout', cause));
    }, task.heartbeatSeconds * 1000);
  }

  private task(token: string): ActivityTask {
    const decoded = decodeToken(token);
    if (!decoded) throw new InvalidToken(`task token "${token.slice(0, 40)}…" is not a token this runtime issued; pass the taskToken from GetActivityTask unchanged`);
    const task = this.open.get(token);
    if (task) return task;
    if (this.closed.has(token)) throw new TaskTimedOut('Task Timed Out: Provided task does not exist anymore (it timed out, finished or its execution stopped)');
    throw new TaskDoesNotExist('the task token is well formed but no task with it exists in this runtime (it may predate a restart)');
  }

  private queueOf<T>(map: Map<string, T[]>, key: string): T[] {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  }
}

function decodeToken(token: string): z.infer<typeof TokenBody> | undefined {
  if (token.length === 0 || token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    return TokenBody.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof z.ZodError) return undefined;
    throw error;
  }
}
