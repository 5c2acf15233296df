import { execFile, execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 10 acceptance: `npm start` (= `changeflow dev --demo`) reaches "ready", runs the four demo
// tickets to their four expected outcomes with verified audit chains, keeps serving, and stops
// cleanly on SIGTERM. The real command in a child process, read the way a person reads it.

let dir: string | undefined;
const hasAwsCli = (() => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
let child: ChildProcessByStdio<null, Readable, Readable> | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Resolves with everything printed so far once `done` holds for it; rejects if the process ends first. */
function readUntil(proc: ChildProcessByStdio<null, Readable, Readable>, done: (out: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (done(out)) {
        proc.stdout.off('data', onData);
        proc.off('exit', onExit);
        resolve(out);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`expected ${what}; the demo exited (${code}) first.\nstdout:\n${out}\nstderr:\n${err}`));
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    proc.once('exit', onExit);
  });
}

describe('npm start', () => {
  it('reaches ready, shows the four demo outcomes each ✓, keeps serving and exits 0 on SIGTERM', { timeout: 240_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'changeflow-e2e-start-'));
    const proc = spawn(process.execPath, ['bin/changeflow.mjs', 'dev', '--demo', '--port', '0', '--data-dir', dir], {
      env: { ...process.env, CHANGEFLOW_DEBUG: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;

    const out = await readUntil(proc, (o) => /still serving at http:\/\/127\.0\.0\.1:\d+/.test(o), 'the demo to finish and keep serving');
    expect(out).toMatch(new RegExp(`^ready ${join(dir, 'endpoints.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(existsSync(join(dir, 'endpoints.json'))).toBe(true);

    const summary = out.slice(out.indexOf('Demo summary'));
    const rows = summary.split('\n').filter((l) => /^\s+[✓✗] /.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 2)), out).toEqual([
      ['✓', 'SUCCEEDED'],
      ['✓', 'PLANNED'],
      ['✓', 'REJECTED'],
      ['✓', 'ROLLED_BACK'],
    ]);
    expect(out.match(/audit chain verified \(\d+ events\)/g), out).toHaveLength(4);

    // The live outcome lines and the audit timelines printed after them agree: the chain count
    // includes the events after the final status, the duration is the same figure, and the
    // reason is printed whole.
    const live = [...out.matchAll(/^ {2}■ (\S+) in (\S+) \(expected \S+\)(?: — (.*))?\n {2}audit chain verified \((\d+) events\)/gm)];
    const timelines = [...out.matchAll(/^change (\S+) {2}(\S+) {2}\(.*\)\n(?:.*\n)*?created .* took (\S+)\n(?:(?!change ).*\n)*?chain intact \((\d+) events[;)]/gm)];
    expect(live.map((m) => [m[1], m[2], m[4]]), out).toEqual(timelines.map((m) => [m[2], m[3], m[4]]));
    for (const [, status, , reason] of live) {
      const timeline = timelines.find((t) => t[2] === status)?.[0] ?? '';
      if (reason) expect(timeline).toContain(`\noutcome ${reason}\n`);
    }

    // The banner's AWS CLI example works as printed against the running stack.
    const awsLine = out.split('\n').find((l) => l.trim().startsWith('AWS_REGION=') && l.includes('list-executions'))?.trim();
    expect(awsLine, out).toBeDefined();
    if (hasAwsCli) {
      const listed = await new Promise<string>((resolve, reject) => execFile('bash', ['-c', awsLine ?? ''], (err, stdout) => (err ? reject(err) : resolve(stdout))));
      expect((JSON.parse(listed) as { executions: unknown[] }).executions.length).toBeGreaterThanOrEqual(4);
    }

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
