import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/runtime/clock.js';
import { Backoff, backoffDelay, backoffWithDefaults, retry } from '../../../shared/runtime/retry.js';
import { ManualTimers } from '../../support/manual-timers.js';
import { VirtualClock } from '../../support/virtual-clock.js';

class Busy extends Error {
  override readonly name = 'Busy';
}

/** An attempt that fails with Busy `failures` times, then answers 'ok'. */
function flaky(failures: number): { attempt: (n: number) => Promise<string>; seen: number[] } {
  const seen: number[] = [];
  return {
    seen,
    attempt: async (n) => {
      seen.push(n);
      if (seen.length <= failures) throw new Busy(`busy ${n}`);
      return 'ok';
    },
  };
}

const policy = Backoff.parse({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 });
const retryable = (err: unknown) => err instanceof Busy;

describe('backoffDelay', () => {
  it.each([
    ['doubling up to the cap', { maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 500 }, [100, 200, 400, 500, 500]],
    ['a factor of 3', { maxAttempts: 9, baseDelayMs: 1000, factor: 3, maxDelayMs: 30_000 }, [1000, 3000, 9000, 27_000, 30_000]],
    ['no base delay', { maxAttempts: 9, baseDelayMs: 0, maxDelayMs: 500 }, [0, 0, 0, 0, 0]],
  ])('grows exponentially: %s', (_what, input, expected) => {
    const p = Backoff.parse(input);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(p, n))).toEqual(expected);
  });

  it('spreads each delay by at most ±jitter', () => {
    const p = Backoff.parse({ maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 1000, jitter: 0.2 });
    expect(backoffDelay(p, 1, () => 0)).toBe(800);
    expect(backoffDelay(p, 1, () => 0.5)).toBe(1000);
    expect(backoffDelay(p, 1, () => 0.999_999)).toBe(1200);
  });

  it('fills in a client’s own defaults and still validates what is given', () => {
    const Client = backoffWithDefaults({ maxAttempts: 5, baseDelayMs: 1000, factor: 3, maxDelayMs: 30_000, jitter: 0.2 });
    expect(Client.parse({})).toEqual({ maxAttempts: 5, baseDelayMs: 1000, factor: 3, maxDelayMs: 30_000, jitter: 0.2 });
    expect(Client.parse({ maxAttempts: 2 }).maxAttempts).toBe(2);
    expect(() => Client.parse({ maxAttempts: 0 })).toThrow();
  });
});

describe('retry', () => {
  it('counts the first attempt in maxAttempts: 4 means three retries, then the last failure', async () => {
    const clock = new VirtualClock();
    const f = flaky(10);
    await expect(retry(f.attempt, { policy, retryable, clock })).rejects.toThrow('busy 4');
    expect(f.seen).toEqual([1, 2, 3, 4]);
    expect(clock.waits).toEqual([100, 200, 400]);
  });

  it('maxAttempts 1 never retries', async () => {
    const clock = new VirtualClock();
    const f = flaky(1);
    await expect(retry(f.attempt, { policy: { ...policy, maxAttempts: 1 }, retryable, clock })).rejects.toBeInstanceOf(Busy);
    expect(f.seen).toEqual([1]);
    expect(clock.waits).toEqual([]);
  });

  it('returns the first answer after transient failures', async () => {
    const clock = new VirtualClock();
    const f = flaky(2);
    const retries: number[] = [];
    await expect(retry(f.attempt, { policy, retryable, clock, onRetry: (r) => retries.push(r.delayMs) })).resolves.toBe('ok');
    expect(f.seen).toEqual([1, 2, 3]);
    expect(retries).toEqual([100, 200]);
  });

  it('rethrows a failure that is not retryable at once', async () => {
    const clock = new VirtualClock();
    const fatal = new Error('refused');
    let calls = 0;
    await expect(retry(async () => { calls++; throw fatal; }, { policy, retryable, clock })).rejects.toBe(fatal);
    expect(calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('maps the last failure and the number of attempts made when retries run out', async () => {
    const clock = new VirtualClock();
    const err = await retry(flaky(10).attempt, { policy, retryable, clock, exhausted: (last, n) => new Error(`${n} attempts, last: ${(last as Error).message}`) }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('4 attempts, last: busy 4');
  });

  it('makes no retry whose wait would reach the deadline', async () => {
    const clock = new VirtualClock();
    const f = flaky(10);
    // 100 fits before 250; 100 + 200 would reach it.
    const err = await retry(f.attempt, { policy: { ...policy, maxAttempts: 10 }, retryable, clock, deadline: clock.now() + 250, exhausted: (_l, n) => n }).catch((e: unknown) => e);
    expect(err).toBe(2);
    expect(clock.waits).toEqual([100]);
  });

  it('waits on the injected clock: nothing happens until the test moves it', async () => {
    const timers = new ManualTimers();
    const f = flaky(1);
    const answer = retry(f.attempt, { policy, retryable, clock: timers });
    await timers.armed();
    expect(f.seen).toEqual([1]);
    timers.advance(99);
    expect(f.seen).toEqual([1]);
    timers.advance(1);
    await expect(answer).resolves.toBe('ok');
    expect(f.seen).toEqual([1, 2]);
  });

  it('stops waiting when aborted and throws the abort reason without another attempt', async () => {
    const timers = new ManualTimers();
    const f = flaky(10);
    const abort = new AbortController();
    const answer = retry(f.attempt, { policy, retryable, clock: timers, signal: abort.signal });
    await timers.armed();
    const reason = new Error('shutting down');
    abort.abort(reason);
    await expect(answer).rejects.toBe(reason);
    expect(f.seen).toEqual([1]);
    expect(timers.pending).toBe(0);
  });

  it('does not start when the signal has already aborted', async () => {
    const f = flaky(0);
    const reason = new Error('stopped');
    await expect(retry(f.attempt, { policy, retryable, clock: new VirtualClock(), signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(f.seen).toEqual([]);
  });
});

describe('systemClock', () => {
  it('rejects a sleep with the signal’s reason when aborted', async () => {
    const abort = new AbortController();
    const reason = new Error('stop');
    const slept = systemClock.sleep(60_000, abort.signal);
    abort.abort(reason);
    await expect(slept).rejects.toBe(reason);
  });
});
