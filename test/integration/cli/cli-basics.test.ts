import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// What a new user meets first, through the real binary: --version, "did you mean", exit codes in
// --help, shell completion, and a pipe closed early (`changeflow … | head`).

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function changeflow(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['bin/changeflow.mjs', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

function bash(script: string): Promise<string> {
  return new Promise((resolve, reject) => execFile('bash', ['-c', script], (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))));
}

describe('the changeflow command', () => {
  it('prints the package version with --version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const r = await changeflow(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('suggests the nearest command and option, exit 3', async () => {
    const cmd = await changeflow(['sumbit', 'x.yaml']);
    expect(cmd.code).toBe(3);
    expect(cmd.stderr).toMatch(/unknown command 'sumbit'[\s\S]*Did you mean submit\?/);
    const opt = await changeflow(['audit', 'list', '--limt', '3']);
    expect(opt.code).toBe(3);
    expect(opt.stderr).toMatch(/unknown option '--limt'[\s\S]*Did you mean --limit\?/);
  });

  it('lists every exit code in --help', async () => {
    const r = await changeflow(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 not found or gave up waiting, 5 rollback failed (a human is needed), 6 refused');
  });

  it('completes commands, subcommands and options in bash from the command tree', async () => {
    const script = (await changeflow(['completion', 'bash'])).stdout;
    const complete = (words: string[]) =>
      bash(`${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _changeflow; echo "\${COMPREPLY[@]}"`);
    expect((await complete(['changeflow', 'sub'])).split(' ')).toEqual(['submit']);
    expect((await complete(['changeflow', 'audit', ''])).split(' ')).toEqual(expect.arrayContaining(['list', 'show', 'verify', 'export']));
    expect((await complete(['changeflow', 'audit', 'list', '--st'])).split(' ')).toEqual(['--status']);
    expect((await changeflow(['completion', 'fish'])).code).toBe(3);
  });

  it('exits 0 without a stack trace when the reader closes the pipe early (| head)', async () => {
    const child = spawn(process.execPath, ['bin/changeflow.mjs', 'spec-reference'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
