// One command at a time per fabric or cluster inside this agent, whatever the concurrency:
// two steps touching the same APIC at once would make read-back comparisons meaningless.
export class TargetMutex {
  private tails = new Map<string, Promise<void>>();

  async run<T>(targets: readonly string[], fn: () => Promise<T>): Promise<T> {
    const keys = [...new Set(targets)].sort();
    const releases: Array<() => void> = [];
    for (const key of keys) {
      const previous = this.tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      this.tails.set(key, tail);
      releases.push(() => {
        release();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
      await previous;
    }
    try {
      return await fn();
    } finally {
      for (const release of releases) release();
    }
  }
}
