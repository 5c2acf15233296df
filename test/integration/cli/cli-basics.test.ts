import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// What a new user meets first, through the real binary: --version, "did you mean", exit codes in
// --help, shell completion, and a pipe closed early (`changeflow … | head`); and the README's CLI
// table and the docs' exit codes agree with what `--help` prints.

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

  it('completes in zsh with the same function, through bashcompinit', async () => {
    const bashScript = (await changeflow(['completion', 'bash'])).stdout;
    const zsh = await changeflow(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout.split('\n').slice(0, 3)).toEqual(['#compdef changeflow', expect.stringMatching(/^# zsh completion/), 'autoload -U bashcompinit && bashcompinit']);
    expect(zsh.stdout).toContain(bashScript.trim());
  });

  it('has a README CLI table listing exactly the commands --help lists', async () => {
    const help = (await changeflow(['--help'])).stdout;
    const commands = help
      .slice(help.indexOf('\nCommands:\n'))
      .split('\n')
      .map((l) => /^ {2}([a-z][a-z-]*)\b/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined && c !== 'help');
    const readme = readFileSync('README.md', 'utf8');
    const cli = readme.slice(readme.indexOf('\n## CLI\n'), readme.indexOf('\n## ', readme.indexOf('\n## CLI\n') + 1));
    const rows = [...cli.matchAll(/^\| `([a-z][a-z-]*)[ `]/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(10);
    expect([...rows].sort()).toEqual([...commands].sort());
  });

  it('says the same exit codes in --help, the README and docs/architecture.md: the six of issue 19 and 6 refused', async () => {
    /** `0 ok, 1 failed or rolled back, …` → code → meaning without its parenthesis. */
    const codes = (text: string | undefined) =>
      Object.fromEntries([...(text ?? '').replace(/\s+/g, ' ').matchAll(/(\d) ([a-z][A-Za-z ]*?)(?: \([^)]*\))?(?=, \d |\.|$)/g)].map((m) => [m[1], m[2]]));
    const help = codes(/^exit codes: (.*)$/m.exec((await changeflow(['--help'])).stdout)?.[1]);
    expect(help).toEqual({
      0: 'ok', 1: 'failed or rolled back', 2: 'rejected', 3: 'bad input', 4: 'not found or gave up waiting', 5: 'rollback failed', 6: 'refused',
    });
    const readme = codes(/Exit codes: ([\s\S]*?\.)\n/.exec(readFileSync('README.md', 'utf8'))?.[1]);
    const architecture = codes(/lists the exit codes: ([\s\S]*?\.)\n/.exec(readFileSync('docs/architecture.md', 'utf8'))?.[1]);
    // The docs may say more after a code's meaning ("refused by the API"), never something else.
    for (const doc of [readme, architecture]) {
      expect(Object.keys(doc)).toEqual(Object.keys(help));
      for (const [code, meaning] of Object.entries(help)) expect(doc[code]).toMatch(new RegExp(`^${meaning}\\b`));
    }
  });

  it('says which host it cannot reach instead of a stack trace (exit 1)', async () => {
    const r = await changeflow(['audit', 'list', '--dynamodb', 'http://nonexistent.invalid:8000']);
    expect(r.stderr).toMatch(/^cannot reach nonexistent\.invalid \((ENOTFOUND|EAI_AGAIN)\) for the table at http:\/\/nonexistent\.invalid:8000/);
    expect(r.stderr).not.toMatch(/\n {4}at |triggerUncaughtException/);
    expect(r.code).toBe(1);
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
