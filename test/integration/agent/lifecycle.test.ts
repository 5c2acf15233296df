import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentHealth } from '../../../agent/health.js';
import { agentOutfile } from '../../../build/agent-build-options.js';
import { agentTask, cluster, fabric, repoRoot, startAgentBench, type AgentBench } from './harness.js';
import { eventually } from '../../support/eventually.js';

// Issue 8 §3 with the agent as an operator runs it: `changeflow agent --config FILE` in its own
// process, stopped with SIGTERM as systemd does. Idle, it exits within 2 s; busy, it fails the
// running task with AgentShutdown (the workflow then rolls back) and stops the cilium CLI it ran.
// The health file says what it is doing all along.

let bench: AgentBench;
const children: ChildProcess[] = [];
// Two agent processes start together (start-up dominates this file's time); the busy test gives
// its task only after the idle one has exited, so exactly one process can take it.
let idle: RunningProcess;
let busy: RunningProcess;

beforeAll(async () => {
  // The connectivity test never finishes: a verify stays busy until it is stopped.
  bench = await startAgentBench({ faults: ['cilium.connectivity=hang'] });
  const passwordFile = join(bench.dir, 'apic.password');
  await writeFile(passwordFile, `${bench.lab.apic.password}\n`, { mode: 0o600 });
  const configFor = (name: string) =>
    bench.writeConfig(`${name}.yaml`, bench.config({ agent: { name, healthFile: join(bench.dir, `${name}.health.json`), logLevel: 'info' }, password: { file: passwordFile } }));
  [idle, busy] = await Promise.all([spawnAgent(await configFor('idle-agent')), spawnAgent(await configFor('busy-agent'))]);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bench?.close();
});

interface RunningProcess {
  healthPath: string;
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function spawnAgent(configPath: string): Promise<RunningProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/changeflow.mjs'), 'agent', '--config', configPath], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim()));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  await until(() => lines.some((l) => l.includes('"agent started"')), 30_000, () => `agent did not start: ${lines.join('\n')}`);
  return { child, lines, exited, healthPath: configPath.replace(/\.yaml$/, '.health.json') };
}

const until = (ok: () => boolean | Promise<boolean>, within: number, what: () => string) => eventually(ok, what, { within, every: 50 });

async function health(agent: RunningProcess): Promise<AgentHealth | undefined> {
  try {
    return JSON.parse(await readFile(agent.healthPath, 'utf8')) as AgentHealth;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Processes whose command line names this change (the cilium CLI the agent ran for it). */
function processesNaming(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch (err) {
    if ((err as { status?: number }).status === 1) return []; // pgrep: no process matched
    throw err;
  }
}

describe('changeflow agent --config FILE under SIGTERM', () => {
  it('ships an example config that the agent accepts', () => {
    const example: unknown = parseYaml(readFileSync(join(repoRoot, 'docs/agent.example.yaml'), 'utf8'));
    expect(example).toMatchObject({ sites: { dc1: { activityArn: expect.stringMatching(/:activity:/) } }, fabrics: { 'dc1-aci': { password: { env: 'APIC_PASSWORD' } } } });
    const unit = readFileSync(join(repoRoot, 'docs/changeflow-agent.service'), 'utf8');
    // The unit runs the built artifact (npm run build), not a checkout.
    expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node /\\S+/${basename(agentOutfile).replace('.', '\\.')} --config /`, 'm'));
    expect(unit).toMatch(/KillSignal=SIGTERM/);
  });

  it('while idle: reports polling in its health file, then exits 0 within 2 s of SIGTERM', async () => {
    const agent = idle;
    await until(async () => (await health(agent))?.state === 'polling', 5_000, () => `health never said polling: ${JSON.stringify(agent.lines)}`);
    expect((await health(agent))?.pid).toBe(agent.child.pid);
    const sent = Date.now();
    agent.child.kill('SIGTERM');
    const exit = await agent.exited;
    expect(exit.at - sent).toBeLessThan(2_000);
    expect(exit.code).toBe(0);
    expect((await health(agent))?.state).toBe('stopped');
    expect(agent.lines.some((l) => l.includes('"agent stopped"'))).toBe(true);
  });

  it('while busy: fails the running task with AgentShutdown, stops the cilium CLI it ran, and exits', async () => {
    const agent = busy;
    if (idle.child.exitCode === null && idle.child.signalCode === null) idle.child.kill('SIGTERM');
    await idle.exited;
    const changeId = `sigterm-${Date.now()}`;
    // A value the lab runs with already: the ciliumConfig checks pass at once and the connectivity test starts.
    const spec = { ...(parseYaml(readFileSync(join(repoRoot, 'examples/onboard-prod-a.yaml'), 'utf8')) as Record<string, unknown>), changes: [{ type: 'ciliumConfig', settings: { 'bpf-lb-algorithm': 'random' }, restart: 'rolling' }] };
    const arn = await bench.start(agentTask('verify', [{ type: 'verify', fabric, cluster, spec: spec as never }], { changeId, deadlineSeconds: 100, heartbeatSeconds: 2 }));

    // The health file names the running task while the connectivity test hangs.
    await until(async () => (await health(agent))?.running.some((r) => r.changeId === changeId) ?? false, 15_000, () => `task never ran: ${agent.lines.join('\n')}`);
    expect((await health(agent))?.running).toEqual([expect.objectContaining({ changeId, step: 'verify', site: 'dc1' })]);
    expect((await health(agent))?.lastPollAt).not.toBeNull();
    await until(() => processesNaming(changeId).length > 0, 10_000, () => 'the connectivity test never started');
    await new Promise((r) => setTimeout(r, 2_500)); // longer than HeartbeatSeconds: the heartbeats keep it alive

    agent.child.kill('SIGTERM');
    const exit = await agent.exited;
    expect(exit.code).toBe(0);
    const end = await bench.waitForEnd(arn, 10_000);
    expect(end).toMatchObject({ status: 'FAILED', error: 'AgentShutdown' });
    expect(end.cause).toMatch(/shutting down/);
    const failed = (await bench.history(arn)).find((e) => e.type === 'ActivityFailed');
    expect(failed?.activityFailedEventDetails?.error).toBe('AgentShutdown');
    await until(() => processesNaming(changeId).length === 0, 5_000, () => `cilium connectivity test still running: ${processesNaming(changeId).join(', ')}`);
    expect(await health(agent)).toMatchObject({ state: 'stopped', running: [], failed: 1 });
  });
});
