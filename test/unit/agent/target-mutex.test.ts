import { describe, expect, it } from 'vitest';
import { TargetMutex } from '../../../agent/target-mutex.js';

// One command at a time per fabric or cluster, whatever the agent's concurrency.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TargetMutex', () => {
  it('serialises work on a shared target and overlaps work on different ones', async () => {
    const mutex = new TargetMutex();
    const log: string[] = [];
    const job = (name: string, targets: string[]) =>
      mutex.run(targets, async () => {
        log.push(`${name}+`);
        await sleep(30);
        log.push(`${name}-`);
      });
    await Promise.all([job('a', ['fabric:dc1-aci']), job('b', ['fabric:dc1-aci', 'cluster:prod-a']), job('c', ['cluster:prod-b'])]);
    expect(log.indexOf('a-')).toBeLessThan(log.indexOf('b+'));
    expect(log.indexOf('c+')).toBeLessThan(log.indexOf('a-'));
  });

  it('releases the target when the work throws', async () => {
    const mutex = new TargetMutex();
    await expect(mutex.run(['fabric:x'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run(['fabric:x'], () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
