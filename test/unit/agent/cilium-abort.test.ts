import { describe, expect, it } from 'vitest';
import { runCilium } from '../../../agent/cluster/index.js';

// A command the agent gave up on (deadline, SIGTERM) must not leave its CLI running for hours.

describe('runCilium with an abort signal', () => {
  it('stops the process when the signal fires, without calling it a timeout', async () => {
    const abort = new AbortController();
    const running = runCilium('/bin/sleep', ['30'], { timeoutMs: 60_000, signal: abort.signal });
    setImmediate(() => abort.abort(new Error('shutdown')));
    // Settles long before the 30 s sleep would end (else the test's own timeout fails it).
    const run = await running;
    expect(run).toMatchObject({ signal: 'SIGTERM', timedOut: false });
  });

  it('does not start work for an already aborted command', async () => {
    const abort = new AbortController();
    abort.abort(new Error('deadline'));
    const run = await runCilium('/bin/sleep', ['30'], { timeoutMs: 60_000, signal: abort.signal });
    expect(run.signal).toBe('SIGTERM');
  });
});
