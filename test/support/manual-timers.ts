import type { Clock } from '../../shared/runtime/clock.js';
import type { Timers } from '../../local/sfn/timers.js';

// A clock the test moves: deadlines fire when the test advances past them, in order, and never
// on their own. Stands in for the engine's timers and for the runtime kit's Clock (a sleep is a
// timer the test fires by advancing), so a timeout or backoff test takes no wall-clock time.
export class ManualTimers implements Timers, Clock {
  private at = Date.now();
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fire: () => void }>();

  now(): number {
    return this.at;
  }

  setTimeout(fire: () => void, ms: number): number {
    const id = this.nextId++;
    this.due.set(id, { at: this.at + Math.max(0, ms), fire });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.due.delete(handle);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const id = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        this.clearTimeout(id);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves once `n` timers or sleeps are armed (the code under test has reached its wait). */
  async armed(n = 1): Promise<void> {
    for (let i = 0; i < 10_000 && this.due.size < n; i++) await turn();
    if (this.due.size < n) throw new Error(`expected ${n} armed timer(s), found ${this.due.size}`);
  }

  /** Moves the clock forward, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const until = this.at + ms;
    while (this.fireNext(until));
    this.at = until;
  }

  /** Fires the earliest timer due by `until` (ties in arming order); false when none is. */
  private fireNext(until: number): boolean {
    const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
    if (!next || next[1].at > until) return false;
    this.due.delete(next[0]);
    this.at = next[1].at;
    next[1].fire();
    return true;
  }

  /**
   * Like advance, but lets the code under test run between timers (promise continuations and
   * I/O callbacks), so a loop that re-arms its wait after each firing is followed step by step.
   */
  async tick(ms: number): Promise<void> {
    const until = this.at + ms;
    for (;;) {
      await settle();
      if (!this.fireNext(until)) break;
    }
    this.at = until;
    await settle();
  }

  /** Timers armed and not yet fired (a test can wait until the engine has armed its deadline). */
  get pending(): number {
    return this.due.size;
  }
}

const turn = (): Promise<void> => new Promise<void>((r) => setImmediate(r));

/** A few turns of the event loop: enough for chains of promise continuations to run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await turn();
}
