import type { Clock } from '../../shared/runtime/clock.js';

// A clock for code that waits between attempts: every sleep returns at once and moves time
// forward by what it waited, and the waits are recorded. A retry test then asserts the waits and
// the deadline arithmetic exactly instead of bounding the wall-clock time it took.
export class VirtualClock implements Clock {
  readonly waits: number[] = [];
  private at: number;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.at = start;
  }

  now(): number {
    return this.at;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.waits.push(ms);
    this.at += Math.max(0, ms);
  }

  /** Time spent waiting, in ms. */
  get waited(): number {
    return this.waits.reduce((a, b) => a + b, 0);
  }
}
