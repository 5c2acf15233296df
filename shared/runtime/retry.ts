import * as z from '../zod.js';
import { systemClock, type Clock } from './clock.js';

// One retry for every client that talks to something that can be busy (APIC, ticket systems):
// exponential backoff with optional jitter, a count of attempts in all, an optional deadline, an
// injectable clock and an abort signal. `maxAttempts` counts the first attempt too — 1 never retries.

export const Backoff = z.object({
  /** Attempts in all, the first included (1 = no retry). */
  maxAttempts: z.int().check(z.gte(1)),
  baseDelayMs: z.number().check(z.nonnegative()),
  factor: z._default(z.number().check(z.gte(1)), 2),
  maxDelayMs: z.number().check(z.nonnegative()),
  /** ±fraction of each delay, so that many callers do not retry in step. */
  jitter: z._default(z.number().check(z.gte(0), z.lte(1)), 0),
});
export type Backoff = z.infer<typeof Backoff>;

/** The wait before retry number `retry` (1 = the wait after the first attempt failed). */
export function backoffDelay(policy: Backoff, retry: number, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, retry - 1));
  const jittered = policy.jitter > 0 ? raw * (1 + policy.jitter * (random() * 2 - 1)) : raw;
  return Math.max(0, Math.round(jittered));
}

export interface RetryOptions {
  policy: Backoff;
  /** Whether a failure is worth another attempt; anything else is rethrown at once. */
  retryable: (error: unknown) => boolean;
  /** What to throw when attempts or time run out (default: the last failure). */
  exhausted?: (last: unknown, attempts: number) => unknown;
  /** Epoch ms: no retry is made whose wait would reach it. */
  deadline?: number;
  clock?: Clock;
  random?: () => number;
  /** Aborting stops the wait and any further attempt; the signal's reason is thrown. */
  signal?: AbortSignal;
  /** Told before each wait (counters, logs). */
  onRetry?: (retry: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Runs `attempt` (given its 1-based number) until it returns, fails for good, or retries run out. */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  for (let n = 1; ; n++) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(n);
    } catch (error) {
      if (!options.retryable(error)) throw error;
      const delayMs = backoffDelay(options.policy, n, options.random);
      const outOfTime = options.deadline !== undefined && clock.now() + delayMs >= options.deadline;
      if (n >= options.policy.maxAttempts || outOfTime) throw options.exhausted ? options.exhausted(error, n) : error;
      options.onRetry?.({ attempt: n, delayMs, error });
      await clock.sleep(delayMs, options.signal);
    }
  }
}

/** The Backoff schema with every field defaulting to a client's own numbers. */
export function backoffWithDefaults(defaults: Backoff) {
  const s = Backoff.shape;
  return z.object({
    maxAttempts: z._default(s.maxAttempts, defaults.maxAttempts),
    baseDelayMs: z._default(s.baseDelayMs, defaults.baseDelayMs),
    factor: z._default(s.factor.def.innerType, defaults.factor),
    maxDelayMs: z._default(s.maxDelayMs, defaults.maxDelayMs),
    jitter: z._default(s.jitter.def.innerType, defaults.jitter),
  });
}
