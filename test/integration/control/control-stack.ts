import { parse as parseYaml } from 'yaml';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer, type ApiServer } from '../../../local/api/server.js';
import type { ChangeStatus } from '../../../shared/store/index.js';
import { startLabFacts, type LabFacts } from '../../support/lab-facts.js';
import { ManualTimers } from '../../support/manual-timers.js';
import { healthyAnswer, type Overrides } from '../../support/scripted-answers.js';
import { startWorkflowHarness, type WorkflowHarness } from '../../support/workflow-harness.js';
import { eventually, eventuallyValue } from '../../support/eventually.js';

// The change workflow on the local engine (real ASL and handlers, dynalite, a scripted agent with
// real lab facts) plus the HTTP API server over the same table and engine, so approve and abort
// go over HTTP and through the real `changeflow` binary. The engine runs on a manual clock: a
// wait slice ends when the test advances it, never by waiting.

const root = join(import.meta.dirname, '../../..');
const exec = promisify(execFile);

export interface ControlStack {
  h: WorkflowHarness;
  labs: LabFacts;
  api: ApiServer;
  timers: ManualTimers;
  close(): Promise<void>;
}

/** Every observation interval takes this long on the engine instead of its ≥ 5 s (a loop, not a wait). */
export const observeWaitMs = 20;

export async function startControlStack(settings?: Record<string, unknown>): Promise<ControlStack> {
  const timers = new ManualTimers();
  const waitTimeOverrides = { 'Observe: wait an interval': observeWaitMs };
  const [h, labs] = await Promise.all([startWorkflowHarness({ timers, settings, waitTimeOverrides }), startLabFacts()]);
  const api = await startApiServer({
    env: {
      TABLE_NAME: h.table.tableName,
      DYNAMODB_ENDPOINT: h.table.endpoint,
      SFN_ENDPOINT: h.local.endpoint,
      AWS_REGION: 'us-east-1',
      STATE_MACHINE_ARN: h.stateMachineArn,
    },
  });
  return {
    h,
    labs,
    api,
    timers,
    async close() {
      await api.close();
      await h.close();
      await labs.close();
    },
  };
}

let seq = 0;

export interface Running {
  changeId: string;
  arn: string;
  end(): Promise<{ status: string; error?: string; cause?: string }>;
  stopAgent(): Promise<void>;
}

export async function startChange(stack: ControlStack, specText: string, overrides: Overrides = {}, ticket: Record<string, string> = { system: 'none' }): Promise<Running> {
  const changeId = `ctl-${Date.now()}-${++seq}`;
  const agent = stack.h.runAgent((t) => healthyAnswer(stack.labs, t, overrides));
  const arn = await stack.h.start(changeId, { source: ticket['system'] === 'none' ? 'api' : ticket['system'], requestedBy: 'control-test', ticket, spec: parseYaml(specText) as unknown });
  return {
    changeId,
    arn,
    end: async () => {
      try {
        return await stack.h.waitForEnd(arn, 120_000);
      } finally {
        await agent.stop();
      }
    },
    stopAgent: () => agent.stop(),
  };
}

/** Waits (on the wire, a few ms at a time) until the change has reached `status`. */
export async function reach(stack: ControlStack, changeId: string, status: ChangeStatus): Promise<void> {
  await eventuallyValue(() => stack.h.store.changes.get(changeId), (change) => change?.status === status, (change) => `${changeId} never reached ${status} (it is ${change?.status ?? 'not recorded'})`, { within: 60_000, every: 50 });
}

/** Waits until the engine has armed at least `n` deadlines (so advancing the clock hits them). */
export async function armed(stack: ControlStack, n = 1): Promise<void> {
  await eventually(() => stack.timers.pending >= n, `the engine armed ${stack.timers.pending} deadlines, not ${n}`, { within: 24_000, every: 20 });
}

export async function post(stack: ControlStack, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
}

export async function cli(stack: ControlStack, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(root, 'bin/changeflow.mjs'), ...args, '--api', stack.api.url], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The change's timeline page, as a browser asks for it. */
export async function timelinePage(stack: ControlStack, changeId: string): Promise<string> {
  const res = await fetch(`${stack.api.url}/changes/${changeId}`, { headers: { accept: 'text/html' } });
  return res.text();
}
