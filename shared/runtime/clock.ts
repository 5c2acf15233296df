import { setTimeout as wait } from 'node:timers/promises';

// The one place that reads the real clock for waiting. Everything that waits or measures (retries,
// polls, backoff) takes a Clock, so a test can pass one it moves by hand (test/support/manual-timers.ts)
// instead of sleeping.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    try {
      await wait(Math.max(0, ms), undefined, { signal });
    } catch (err) {
      // timers/promises rejects with its own AbortError; callers match the reason they aborted with.
      if (signal?.aborted) throw signal.reason;
      throw err;
    }
  },
};
