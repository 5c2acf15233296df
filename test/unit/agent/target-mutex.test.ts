import { describe, expect, it } from 'vitest';
import { TargetMutex } from '../../../agent/target-mutex.js';

// One command at a time per fabric or cluster, whatever the agent's concurrency.

const turns = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('TargetMutex', () => {
  it('serialises work on a shared target and overlaps work on different ones', async () => {
    const mutex = new TargetMutex();
    const log: string[] = [];
    const finish = new Map<string, () => void>();
    const job = (name: string, targets: string[]) =>
      mutex.run(targets, async () => {
        log.push(`${name}+`);
        await new Promise<void>((resolve) => finish.set(name, resolve));
        log.push(`${name}-`);
      });
    const all = Promise.all([job('a', ['fabric:dc1-aci']), job('b', ['fabric:dc1-aci', 'cluster:prod-a']), job('c', ['cluster:prod-b'])]);
    await turns();
    // a and c run side by side; b waits for a's fabric.
    expect(log).toEqual(['a+', 'c+']);
    finish.get('a')?.();
    await turns();
    expect(log).toEqual(['a+', 'c+', 'a-', 'b+']);
    finish.get('b')?.();
    finish.get('c')?.();
    await all;
    expect(log.slice(4).sort()).toEqual(['b-', 'c-']);
  });

  it('releases the target when the work throws', async () => {
    const mutex = new TargetMutex();
    await expect(mutex.run(['fabric:x'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run(['fabric:x'], () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
