import { describe, expect, it, vi } from 'vitest';
import { ActivityQueues, type ActivityTaskEvents } from '../../../local/sfn/activity-queue.js';
import { InvalidToken, TaskDoesNotExist, TaskTimedOut } from '../../../local/sfn/api-errors.js';

const arn = 'arn:aws:states:us-east-1:000000000000:activity:dc1';

function recorder(): ActivityTaskEvents & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    started: (w) => log.push(`started ${w}`),
    succeeded: (o) => log.push(`succeeded ${JSON.stringify(o)}`),
    failed: (e, c) => log.push(`failed ${e} ${c}`),
    timedOut: (e) => log.push(`timedOut ${e}`),
  };
}

function schedule(queues: ActivityQueues, extra: { heartbeatSeconds?: number; timeoutMs?: number } = {}) {
  const events = recorder();
  const result = queues.schedule({ activityArn: arn, executionArn: 'exec-1', input: { step: 'apply' }, events, ...extra });
  result.catch(() => undefined);
  return { events, result };
}

describe('ActivityQueues', () => {
  it('answers a poll with no task once the poll limit passes', async () => {
    const queues = new ActivityQueues(50);
    const started = Date.now();
    expect(await queues.poll(arn, 'w1')).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('hands a queued task to the next poller and resolves with its output', async () => {
    const queues = new ActivityQueues(1000);
    const { events, result } = schedule(queues);
    const task = await queues.poll(arn, 'w1');
    expect(task?.input).toEqual({ step: 'apply' });
    queues.succeed(task!.taskToken, { ok: true });
    await expect(result).resolves.toEqual({ ok: true });
    expect(events.log).toEqual(['started w1', 'succeeded {"ok":true}']);
  });

  it('wakes a waiting poller as soon as a task is scheduled', async () => {
    const queues = new ActivityQueues(5000);
    const polling = queues.poll(arn, 'w1');
    const { result } = schedule(queues);
    const task = await polling;
    queues.fail(task!.taskToken, 'ApplyFailed', 'APIC said no');
    await expect(result).rejects.toMatchObject({ name: 'ApplyFailed', message: 'APIC said no' });
  });

  it('issues a unique token per task', async () => {
    const queues = new ActivityQueues(1000);
    schedule(queues);
    schedule(queues);
    const a = await queues.poll(arn, 'w1');
    const b = await queues.poll(arn, 'w2');
    expect(a!.taskToken).not.toBe(b!.taskToken);
  });

  it('fails a started task with States.HeartbeatTimeout when heartbeats stop, and heartbeats keep it alive', async () => {
    vi.useFakeTimers();
    try {
      const queues = new ActivityQueues(60_000);
      const { events, result } = schedule(queues, { heartbeatSeconds: 2 });
      const task = await queues.poll(arn, 'w1');
      await vi.advanceTimersByTimeAsync(1500);
      queues.heartbeat(task!.taskToken);
      await vi.advanceTimersByTimeAsync(1500);
      expect(events.log).toEqual(['started w1']);
      await vi.advanceTimersByTimeAsync(600);
      await expect(result).rejects.toMatchObject({ name: 'States.HeartbeatTimeout' });
      expect(events.log).toEqual(['started w1', 'timedOut States.HeartbeatTimeout']);
      expect(() => queues.succeed(task!.taskToken, {})).toThrow(TaskTimedOut);
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes a task at its TimeoutSeconds deadline so no worker can pick it up afterwards', async () => {
    vi.useFakeTimers();
    try {
      const queues = new ActivityQueues(10);
      const { events } = schedule(queues, { timeoutMs: 1000 });
      await vi.advanceTimersByTimeAsync(1001);
      expect(events.log).toEqual(['timedOut States.Timeout']);
      const polling = queues.poll(arn, 'late');
      await vi.advanceTimersByTimeAsync(20);
      expect(await polling).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not hand a task to a poller that hung up', async () => {
    const queues = new ActivityQueues(5000);
    const hangUp = new AbortController();
    const gone = queues.poll(arn, 'gone', hangUp.signal);
    hangUp.abort();
    expect(await gone).toBeNull();
    schedule(queues);
    expect((await queues.poll(arn, 'alive'))?.input).toEqual({ step: 'apply' });
  });

  it('tells apart malformed, unknown and closed task tokens', async () => {
    const queues = new ActivityQueues(1000);
    expect(() => queues.heartbeat('not a token!')).toThrow(InvalidToken);
    const unknown = Buffer.from(JSON.stringify({ v: 1, id: 'x'.repeat(32) })).toString('base64url');
    expect(() => queues.heartbeat(unknown)).toThrow(TaskDoesNotExist);
    schedule(queues);
    const task = await queues.poll(arn, 'w1');
    queues.succeed(task!.taskToken, 1);
    expect(() => queues.succeed(task!.taskToken, 2)).toThrow(TaskTimedOut);
  });

  it('rejects the open tasks of an execution that ended', async () => {
    const queues = new ActivityQueues(1000);
    const { result } = schedule(queues);
    queues.cancelExecution('exec-1', 'execution ended ABORTED');
    await expect(result).rejects.toMatchObject({ name: 'States.Runtime' });
  });
});
