import { TaskTokenTable } from './task-tokens.js';

// Activity tasks wait here for a worker's GetActivityTask. Their tokens live in the engine's
// task-token table, which enforces HeartbeatSeconds and fails the task with
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
  workerName?: string;
}

interface Waiter {
  workerName: string;
  deliver: (task: ActivityTask | null) => void;
}

export class ActivityQueues {
  private readonly pending = new Map<string, ActivityTask[]>();
  private readonly waiters = new Map<string, Waiter[]>();

  constructor(
    private readonly maxPollMs: number,
    readonly tokens: TaskTokenTable = new TaskTokenTable(),
  ) {}

  /** Queues a task; the promise settles with the worker's output or the task's failure. */
  schedule(request: ScheduleRequest): Promise<unknown> {
    const token = this.tokens.mint();
    const task: ActivityTask = { ...request, token };
    const { timers } = this.tokens;
    const result = this.tokens.wait(token, {
      executionArn: request.executionArn,
      heartbeatSeconds: request.heartbeatSeconds,
      // The interpreter's own timer (same duration, armed right after this one) raises
      // States.Timeout into the execution; here the task only closes and records why.
      deadline: request.timeoutMs !== undefined ? timers.now() + request.timeoutMs : undefined,
      timeoutError: () => undefined,
      heartbeatCause: () => `no heartbeat from worker ${task.workerName ?? '?'} within HeartbeatSeconds ${request.heartbeatSeconds}`,
      onClose: (how) => {
        this.unqueue(task);
        if (how.kind === 'succeeded') request.events.succeeded(how.output);
        else if (how.kind === 'failed') request.events.failed(how.error, how.cause);
        else if (how.kind === 'timed-out') {
          const cause = how.error === 'States.Timeout' ? `activity task exceeded TimeoutSeconds ${request.timeoutSeconds}` : how.cause;
          request.events.timedOut(how.error, cause);
        }
      },
    });
    const waiter = this.waiters.get(request.activityArn)?.shift();
    if (waiter) waiter.deliver(task);
    else this.queueOf(this.pending, request.activityArn).push(task);
    return result;
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
    this.tokens.succeed(token, output);
  }

  fail(token: string, error: string, cause: string): void {
    this.tokens.fail(token, error, cause);
  }

  heartbeat(token: string): void {
    this.tokens.heartbeat(token);
  }

  /** Ends every open task of an execution that stopped or finished (a branch may still wait). */
  cancelExecution(executionArn: string, reason: string): void {
    this.tokens.cancelExecution(executionArn, reason);
  }

  /** Releases every long poll and forgets every queued task (server shutdown). */
  shutdown(): void {
    for (const waiters of this.waiters.values()) for (const w of [...waiters]) w.deliver(null);
    this.pending.clear();
    this.tokens.shutdown();
  }

  private unqueue(task: ActivityTask): void {
    const queue = this.pending.get(task.activityArn);
    const index = queue?.indexOf(task) ?? -1;
    if (queue && index >= 0) queue.splice(index, 1);
  }

  private start(task: ActivityTask, workerName: string): { taskToken: string; input: unknown } {
    task.workerName = workerName;
    task.events.started(workerName);
    this.tokens.startHeartbeats(task.token);
    return { taskToken: task.token, input: task.input };
  }

  private queueOf<T>(map: Map<string, T[]>, key: string): T[] {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  }
}
