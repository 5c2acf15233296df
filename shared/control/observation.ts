import * as z from '../zod.js';
import type { Verify } from '../spec/change-spec.js';

// The observation window after verification (docs/architecture.md §3.7): the change stays
// OBSERVING with its locks held while the agent re-runs the cheap checks every interval; the first
// regression rolls it back. The window is a number of checks, one per interval, so it ends the
// same way however long each check takes; `until` is when it ends if every check is instant (the
// page's countdown).

export const defaultObserveIntervalSeconds = 30;

export const ObservationWindow = z.strictObject({
  seconds: z.int().check(z.positive()),
  intervalSeconds: z.int().check(z.gte(5)),
  /** How many checks the window holds: ceil(seconds / intervalSeconds). */
  checks: z.int().check(z.positive()),
  /** Checks done so far, all clean. */
  round: z.int().check(z.nonnegative()),
  startedAt: z.iso.datetime(),
  until: z.iso.datetime(),
  done: z.boolean(),
});
export type ObservationWindow = z.infer<typeof ObservationWindow>;

/** The window the spec asks for, or undefined when observing is off (absent or 0). */
export function observationWindow(verify: Pick<Verify, 'observeSeconds' | 'observeIntervalSeconds'>, now: Date): ObservationWindow | undefined {
  const seconds = verify.observeSeconds ?? 0;
  if (seconds <= 0) return undefined;
  const intervalSeconds = verify.observeIntervalSeconds ?? defaultObserveIntervalSeconds;
  const checks = Math.max(1, Math.ceil(seconds / intervalSeconds));
  return {
    seconds,
    intervalSeconds,
    checks,
    round: 0,
    startedAt: now.toISOString(),
    until: new Date(now.getTime() + checks * intervalSeconds * 1000).toISOString(),
    done: false,
  };
}
