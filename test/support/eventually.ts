import { setTimeout as wait } from 'node:timers/promises';

// Waiting for something another process does (an engine in a child process, the real CLI, a
// lab emulator): there is no clock to inject there, so a test waits for the condition itself,
// never for a fixed time. One helper instead of a private loop per file; it fails with what it
// waited for, so a timeout reads as the missing condition, not as "test timed out".

export interface Eventually {
  /** Give up after this long (ms). */
  within?: number;
  /** Look again after this long (ms). */
  every?: number;
}

/** Resolves with the first value `read` gives that `holds`; throws `what` when `within` passes. */
export async function eventuallyValue<T>(read: () => T | Promise<T>, holds: (value: T) => boolean, what: string | ((last: T) => string), opts: Eventually = {}): Promise<T> {
  const within = opts.within ?? 15_000;
  const every = opts.every ?? 25;
  const deadline = Date.now() + within;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within ${within} ms: ${typeof what === 'string' ? what : what(value)}`);
    await wait(every);
  }
}

/** Resolves once `check` is true; throws `what` when `within` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string | (() => string), opts: Eventually = {}): Promise<void> {
  await eventuallyValue(check, (ok) => ok, typeof what === 'string' ? what : () => what(), opts);
}
