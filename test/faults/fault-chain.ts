import { FaultStack } from '../support/fault-harness.js';
import type { StepBudget } from './fault-timing.js';

// vitest runs one test file at a time on a 2-core machine (maxWorkers = cores - 1), and fault cases
// spend most of their time waiting for timeouts, retries and agent restarts. So the suite runs
// several chains of cases at once, each chain on its own dev stack (a child process): a chain
// starts in beforeAll and runs its cases one after the other in the background, and each `it`
// awaits its case's outcome and asserts on it. A case that throws fails its own test only; the
// next case of the chain clears the faults and goes on.

export interface StackSpec {
  /** Cases with the same name share one stack; a new name closes the old stack first. */
  readonly name: string;
  readonly faults?: string[];
  readonly steps?: StepBudget;
}

interface Step {
  readonly stack: StackSpec;
  readonly run: (fs: FaultStack) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

export class FaultChain {
  private readonly steps: Step[] = [];
  private current?: { name: string; fs: FaultStack };
  private lastLog: string[] = [];
  private running?: Promise<void>;

  /** Registers a case; the returned function resolves with its outcome once the chain got to it. */
  step<T>(stack: StackSpec, run: (fs: FaultStack) => Promise<T>): () => Promise<T> {
    let resolve!: (value: unknown) => void;
    let reject!: (err: unknown) => void;
    const outcome = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Awaited later by the case's test; until then a failure must not count as unhandled.
    outcome.catch(() => undefined);
    this.steps.push({ stack, run, resolve, reject });
    return () => outcome as Promise<T>;
  }

  /** Runs every case in order, in the background; settles when the last stack is closed. */
  start(): Promise<void> {
    if (!this.running) {
      this.running = this.runAll();
      // Started in beforeAll and awaited in afterAll, which reports a failure (closing a stack).
      this.running.catch(() => undefined);
    }
    return this.running;
  }

  /** The last lines the chain's current (or last) stack logged, for a failing case's report. */
  async logTail(lines = 60): Promise<string> {
    const log = this.current ? await this.current.fs.log().catch((err: Error) => [`(log unreadable: ${err.message})`]) : this.lastLog;
    return log.slice(-lines).join('\n');
  }

  private async runAll(): Promise<void> {
    for (const step of this.steps) {
      try {
        const fs = await this.stackFor(step.stack);
        await fs.clearFaults();
        step.resolve(await step.run(fs));
      } catch (err) {
        step.reject(err);
      }
    }
    await this.closeCurrent();
  }

  private async stackFor(spec: StackSpec): Promise<FaultStack> {
    if (this.current?.name === spec.name) return this.current.fs;
    await this.closeCurrent();
    const fs = await FaultStack.start({ name: spec.name, faults: spec.faults, steps: spec.steps });
    this.current = { name: spec.name, fs };
    return fs;
  }

  private async closeCurrent(): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.lastLog = await current.fs.log().catch((err: Error) => [`(log unreadable: ${err.message})`]);
    this.current = undefined;
    await current.fs.close();
  }
}
