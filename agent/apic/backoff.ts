import { backoffWithDefaults } from '../../shared/runtime/retry.js';

// Exponential backoff with jitter for throttled or overloaded APICs (go-aci: 4 s × 3, 60 s cap);
// the base delay is configurable so that tests and the lab run fast. Five attempts in all.
export const ApicRetry = backoffWithDefaults({ maxAttempts: 5, baseDelayMs: 1000, factor: 3, maxDelayMs: 30_000, jitter: 0.2 });

/** HTTP statuses worth retrying: throttling (405, 429 as some proxies send) and server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 405 || status === 429 || status >= 500;
}
