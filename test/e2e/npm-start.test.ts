import { execFile, execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
let secondChild: ChildProcessByStdio<null, Readable, Readable> | undefined;
let secondDir: string | undefined;

afterAll(async () => {
  for (const c of [child, secondChild]) if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of [dir, secondDir]) if (d) await rm(d, { recursive: true, force: true });
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

    expect(awsLine).toMatch(/^AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws stepfunctions --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+ list-executions --state-machine-arn arn:aws:states:/);

    // The banner's second stack runs beside this one as printed (its own data dir, free ports).
    const second = /^ {2}a second stack beside this one: npx changeflow (dev .*)$/m.exec(out)?.[1];
    expect(second, out).toBe(`dev --port 0 --data-dir ${dir}-2`);
    secondDir = `${dir}-2`;
    const other = spawn(process.execPath, ['bin/changeflow.mjs', ...(second ?? '').split(' ')], { env: { ...process.env, CHANGEFLOW_DEBUG: '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    secondChild = other;
    await readUntil(other, (o) => o.includes(`ready ${secondDir}/endpoints.json`), 'the second stack to be ready');
    const apis = await Promise.all([dir, secondDir].map(async (d) => (JSON.parse(await readFile(join(d, 'endpoints.json'), 'utf8')) as { api: string }).api));
    expect(apis[0]).not.toBe(apis[1]);
    expect((await fetch(`${apis[1]}/changes`, { headers: { accept: 'application/json' } })).status).toBe(200);
    const otherExited = new Promise<number | null>((resolve) => other.once('exit', (code) => resolve(code)));
    other.kill('SIGTERM');
    expect(await otherExited).toBe(0);

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
