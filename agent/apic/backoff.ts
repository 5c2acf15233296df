import * as z from 'zod';

// Exponential backoff with jitter for throttled or overloaded APICs (go-aci: 4 s × 3, 60 s cap);
// the base delay is configurable so that tests and the lab run fast.

export const RetryPolicy = z.object({
  /** Retries after the first attempt. */
  attempts: z.number().int().nonnegative().default(4),
  baseDelayMs: z.number().nonnegative().default(1000),
  factor: z.number().min(1).default(3),
  maxDelayMs: z.number().nonnegative().default(30_000),
  /** ±fraction of each delay, so that many agents do not retry in step. */
  jitter: z.number().min(0).max(1).default(0.2),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, retry - 1));
  return Math.max(0, Math.round(raw * (1 + policy.jitter * (random() * 2 - 1))));
}

/** HTTP statuses worth retrying: throttling (405, 429 as some proxies send) and server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 405 || status === 429 || status >= 500;
}
