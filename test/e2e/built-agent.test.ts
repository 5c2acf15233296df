import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from '../../shared/zod.js';
import { agentBudgetBytes } from '../../build/agent-build-options.js';
import { buildAgent, repoRoot } from '../../build/build.js';
import { AgentConfig } from '../../agent/config.js';
import { ChangeRecord, createStore } from '../../shared/store/index.js';

// Issue 18 acceptance: the built agent, copied alone into an empty folder and run with plain
// `node` (no checkout, no node_modules, no tsx), serves a whole change against
// `changeflow dev --agent external` — the way an operator runs it on a bastion, with APIC
// signature auth (issue 14: no aaaLogin; the config holds no password, so every APIC request of
// the change was signed and verified by the lab).

type Child = ChildProcessByStdio<null, Readable, Readable>;
const children: Child[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `changeflow-built-agent-${name}-`));
  dirs.push(dir);
  return dir;
}

/** Output so far, and a promise for the moment `done` holds for it (rejects if the process ends first). */
function watch(child: Child, name: string): { text: () => string; until: (done: (out: string) => boolean, what: string) => Promise<void> } {
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    text: () => out,
    until: (done, what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!done(out)) return;
          waiters.splice(waiters.indexOf(check), 1);
          child.off('exit', onExit);
          resolve();
        };
        const onExit = (code: number | null) => reject(new Error(`expected ${what}; ${name} exited (${code}) first:\n${out}`));
        waiters.push(check);
        child.once('exit', onExit);
        check();
      }),
  };
}

const exited = (child: Child): Promise<number | null> => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('the built bastion agent', () => {
  it('runs alone from an empty folder with plain node and serves a change against `changeflow dev --agent external` to SUCCEEDED', { timeout: 180_000 }, async () => {
    const staging = await tempDir('build');
    const built = await buildAgent(repoRoot, join(staging, 'changeflow-agent.mjs'));
    expect(built.bytes).toBeLessThanOrEqual(agentBudgetBytes);
    const bastion = await tempDir('bastion');
    const agentFile = join(bastion, 'changeflow-agent.mjs');
    await copyFile(built.path, agentFile);
    expect(await readdir(bastion)).toEqual(['changeflow-agent.mjs']);
    const run = (args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, [agentFile, ...args], { cwd: bastion, env: { PATH: process.env['PATH'] ?? '' } }, (err, stdout, stderr) => {
          resolve({ code: err ? Number(err.code) : 0, out: `${stdout}${stderr}` });
        });
      });
    const { version } = z.object({ version: z.string() }).parse(JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')));
    expect(await run(['--version'])).toEqual({ code: 0, out: `${version}\n` });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--config <file>/);
    expect((await run([])).code).toBe(3);
    expect(await run(['--config', join(bastion, 'missing.yaml')])).toMatchObject({ code: 3, out: expect.stringMatching(/missing\.yaml/) });

    const dataDir = await tempDir('stack');
    // As a bastion should: signature auth, the key beside the config, no password anywhere.
    const stack = spawn(process.execPath, ['bin/changeflow.mjs', 'dev', '--agent', 'external', '--apic-auth', 'certificate', '--port', '0', '--data-dir', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, CHANGEFLOW_DEBUG: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(stack);
    const stackOut = watch(stack, 'changeflow dev');
    await stackOut.until((o) => /^agent: none started/m.test(o), '`changeflow dev --agent external` to be ready');
    const configPath = join(dataDir, 'agent.yaml');
    expect(stackOut.text()).toContain(`--config ${configPath}`);
    const config = AgentConfig.parse((await import('yaml')).parse(await readFile(configPath, 'utf8')));
    expect(Object.keys(config.sites)).toEqual(['dc1']);
    expect((await stat(configPath)).mode & 0o077).toBe(0);
    const fabric = config.fabrics['dc1-aci'];
    expect(fabric?.password).toBeUndefined();
    expect(fabric?.certificate).toEqual({ name: 'changeflow-agent', privateKey: { file: join(dataDir, 'apic-agent.key') } });
    expect((await stat(join(dataDir, 'apic-agent.key'))).mode & 0o077).toBe(0);

    // A bastion's environment: no NODE_OPTIONS loader, no AWS credentials (the local engine takes dummy ones).
    const agent = spawn(process.execPath, [agentFile, '--config', configPath], {
      cwd: bastion,
      env: { PATH: process.env['PATH'] ?? '', HOME: bastion },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(agent);
    const agentOut = watch(agent, 'the built agent');
    await agentOut.until((o) => o.includes('"agent started"'), 'the built agent to start');

    const spec = join(repoRoot, 'examples/onboard-prod-a.yaml');
    const submit = spawn(process.execPath, ['bin/changeflow.mjs', 'submit', spec, '--data-dir', dataDir, '--wait', '--json', '--by', 'built-agent-test', '--timeout', '150', '--yes'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(submit);
    const submitOut = watch(submit, 'changeflow submit');
    const code = await exited(submit);
    expect(code, `${submitOut.text()}\nagent:\n${agentOut.text()}`).toBe(0);
    const final = z.object({ changeId: z.string(), status: z.string() }).parse(JSON.parse(submitOut.text().slice(submitOut.text().indexOf('{'))));
    expect(final.status).toBe('SUCCEEDED');

    // The change was served by the built file, not by an agent the stack started.
    const api = z.object({ api: z.string() }).parse(JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8'))).api;
    const change = z.object({ change: ChangeRecord }).parse(await (await fetch(`${api}/changes/${encodeURIComponent(final.changeId)}`)).json()).change;
    expect(change.status).toBe('SUCCEEDED');
    expect(agentOut.text()).toContain(final.changeId);
    // The built file also reported the connectivity test's progress into the stack's table
    // (config `progress:`, the PROGRESS# item `submit --wait` prints from; issue 19 item 1).
    const dynamodb = z.object({ dynamodb: z.string() }).parse(JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8'))).dynamodb;
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const raw = new DynamoDBClient({ endpoint: dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const progress = await createStore({ client: DynamoDBDocumentClient.from(raw), tableName: 'changeflow', now: () => new Date() }).progress.getProgress(final.changeId);
      expect(progress).toMatchObject({ changeId: final.changeId, step: 'verify', what: 'connectivity test', total: expect.any(Number) });
      expect(progress!.done).toBeGreaterThanOrEqual(progress!.total - 1);
    } finally {
      raw.destroy();
    }

    agent.kill('SIGTERM');
    expect(await exited(agent)).toBe(0);
    stack.kill('SIGTERM');
    expect(await exited(stack)).toBe(0);
  });
});
