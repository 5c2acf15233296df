import {
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { ActivityWorker } from '../../../agent/activity-worker.js';
import type { CommandContext, RunCommand } from '../../../agent/command-context.js';
import { HealthReporter } from '../../../agent/health.js';
import { createAgentLog } from '../../../agent/log.js';
import { Redactor } from '../../../shared/runtime/redact.js';
import { TargetMutex } from '../../../agent/target-mutex.js';
import type { ResultStore } from '../../../agent/result-store.js';
import type { AgentResultChunk } from '../../../shared/store/index.js';
import { ManualTimers } from '../../support/manual-timers.js';
import { TaskNotSigned } from '../../../agent/task-errors.js';
import { readFileSync } from 'node:fs';
import { parseChangeSpecText } from '../../../shared/spec/index.js';
import { AgentResult, AgentResultRef, PROTOCOL, type AgentCommand, type AgentStep } from '../../../shared/agent-protocol/index.js';

// The polling loop against a scripted Step Functions client: heartbeats while a command runs, a
// refused heartbeat abandons the command, shutdown fails the running task, named errors keep
// their names, the crash fault fires after a write, and oversized results are never sent.

type Sent = { kind: 'success' | 'failure' | 'heartbeat'; token: string; error?: string; cause?: string; output?: string };

class ScriptedSfn {
  readonly sent: Sent[] = [];
  private readonly queue: Array<{ taskToken: string; input: string }> = [];
  private readonly waiting: Array<(task: { taskToken?: string; input?: string }) => void> = [];
  heartbeatError?: Error;
  /** GetActivityTask fails this many more times before answering. */
  pollErrors = 0;
  polls = 0;
  private given = 0;
  private readonly onSent: Array<() => void> = [];

  private record(sent: Sent): void {
    this.sent.push(sent);
    for (const notify of this.onSent.splice(0)) notify();
  }

  give(input: unknown, token = `token-${++this.given}`): string {
    const task = { taskToken: token, input: JSON.stringify(input) };
    const waiter = this.waiting.shift();
    if (waiter) waiter(task);
    else this.queue.push(task);
    return token;
  }

  async send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    if (command instanceof GetActivityTaskCommand) {
      this.polls++;
      if (this.pollErrors > 0) {
        this.pollErrors--;
        throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' });
      }
      const queued = this.queue.shift();
      if (queued) return queued;
      return new Promise((resolve, reject) => {
        this.waiting.push(resolve);
        options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })), { once: true });
      });
    }
    if (command instanceof SendTaskHeartbeatCommand) {
      this.record({ kind: 'heartbeat', token: command.input.taskToken ?? '' });
      if (this.heartbeatError) throw this.heartbeatError;
      return {};
    }
    if (command instanceof SendTaskSuccessCommand) {
      this.record({ kind: 'success', token: command.input.taskToken ?? '', output: command.input.output });
      return {};
    }
    if (command instanceof SendTaskFailureCommand) {
      this.record({ kind: 'failure', token: command.input.taskToken ?? '', error: command.input.error, cause: command.input.cause });
      return {};
    }
    throw new Error(`unexpected command ${command.constructor.name}`);
  }

  /** The task's success or failure, as soon as the worker sends it (the test's timeout bounds the wait). */
  async answered(token: string): Promise<Sent> {
    for (;;) {
      const answer = this.sent.find((s) => s.token === token && s.kind !== 'heartbeat');
      if (answer) return answer;
      await new Promise<void>((resolve) => this.onSent.push(resolve));
    }
  }

  heartbeats(): number {
    return this.sent.filter((s) => s.kind === 'heartbeat').length;
  }
}

/** A command the test finishes by hand; `started` resolves when the worker has called it. */
function held() {
  let finish = (): void => undefined;
  let begin = (): void => undefined;
  const started = new Promise<void>((resolve) => (begin = resolve));
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return { started, finish, run: async () => { begin(); await finished; } };
}
const secret = 's3cret-apic-password';
let workers: ActivityWorker[] = [];

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
});

const parsedSpec = parseChangeSpecText(readFileSync('examples/onboard-prod-a.yaml', 'utf8'));
if (!parsedSpec.ok) throw new Error('example spec does not parse');
const spec = parsedSpec.spec;

// The worker's own behaviour (heartbeats, deadlines, sizes) is tested with a guard that lets
// every task through; the guard's refusals have their own test below and in task-guard.test.ts.
function startWorker(runCommand: RunCommand, opts: { concurrency?: number; crashStep?: string; crash?: () => never; maxResultBytes?: number; inlineResultBytes?: number; resultStore?: ResultStore; guard?: (task: unknown) => void; clock?: ManualTimers; pollErrors?: number } = {}) {
  const sfn = new ScriptedSfn();
  sfn.pollErrors = opts.pollErrors ?? 0;
  const redactor = new Redactor();
  redactor.add(secret);
  const lines: string[] = [];
  const worker = new ActivityWorker({
    sfn: sfn as unknown as SFNClient,
    site: 'dc1',
    activityArn: 'arn:aws:states:us-east-1:000000000000:activity:changeflow-agent-dc1',
    workerName: 'unit-agent',
    version: '0.0.0',
    runCommand,
    guard: opts.guard ?? (() => undefined),
    configured: { fabrics: ['dc1-aci', 'dc2-aci'], clusters: ['prod-a'] },
    redactor,
    log: createAgentLog({ redactor, level: 'debug', agent: 'unit-agent', write: (l) => lines.push(l) }),
    health: new HealthReporter('unit-agent', undefined, new Date()),
    mutex: new TargetMutex(),
    maxResultBytes: opts.maxResultBytes ?? 250_000,
    inlineResultBytes: opts.inlineResultBytes,
    resultStore: opts.resultStore,
    now: () => new Date(),
    clock: opts.clock,
    crashStep: opts.crashStep,
    crash: opts.crash,
  });
  worker.start(opts.concurrency ?? 1);
  workers.push(worker);
  return { sfn, worker, lines };
}

const collect = (fabric = 'dc1-aci'): AgentCommand => ({ type: 'aci.collect', fabric, spec });
const task = (step: AgentStep, commands: AgentCommand[], heartbeatSeconds = 1) => ({
  protocol: PROTOCOL, changeId: `chg-${step}`, site: 'dc1', step, deadlineSeconds: 30, heartbeatSeconds, commands,
});
const ok = (): Awaited<ReturnType<RunCommand>> => ({ type: 'aci.collect', responses: [] });

describe('ActivityWorker', () => {
  it('answers a task its guard refuses with the guard\'s named error, logs it, and runs nothing', async () => {
    let ran = 0;
    const { sfn, lines } = startWorker(async () => {
      ran++;
      return ok();
    }, { guard: () => { throw new TaskNotSigned('a apply-aci task must carry the plan step\'s signature'); } });
    const token = sfn.give(task('apply-aci', [{ type: 'aci.apply', fabric: 'dc1-aci', ops: [] }]));
    expect(await sfn.answered(token)).toMatchObject({ kind: 'failure', error: 'TaskNotSigned', cause: expect.stringContaining('signature') });
    expect(ran).toBe(0);
    expect(lines.some((l) => l.includes('"task refused"') && l.includes('TaskNotSigned'))).toBe(true);
  });

  it('heartbeats every third of HeartbeatSeconds while a command runs, and stops after the answer', async () => {
    const clock = new ManualTimers();
    const command = held();
    const { sfn } = startWorker(async () => {
      await command.run();
      return ok();
    }, { clock });
    const token = sfn.give(task('gather-facts', [collect()], 3));
    await command.started;
    await clock.tick(999);
    expect(sfn.heartbeats()).toBe(0);
    await clock.tick(1);
    expect(sfn.heartbeats()).toBe(1);
    await clock.tick(2_000);
    expect(sfn.heartbeats()).toBe(3);
    command.finish();
    expect((await sfn.answered(token)).kind).toBe('success');
    await clock.tick(10_000);
    expect(sfn.heartbeats()).toBe(3);
  });

  it('fails a step that runs past its deadline with CommandDeadlineExceeded', async () => {
    const clock = new ManualTimers();
    let signal: AbortSignal | undefined;
    const { sfn } = startWorker((_c, ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    }, { clock });
    const token = sfn.give({ ...task('verify', [collect()], 60), deadlineSeconds: 30 });
    await clock.tick(29_999);
    expect(sfn.sent.some((s) => s.kind !== 'heartbeat')).toBe(false);
    await clock.tick(1);
    expect(await sfn.answered(token)).toMatchObject({ kind: 'failure', error: 'CommandDeadlineExceeded', cause: 'verify did not finish within its 30 s deadline' });
    expect(signal?.aborted).toBe(true);
  });

  it('backs off 500 ms, doubling, when GetActivityTask fails, and polls at once again after it answers', async () => {
    const clock = new ManualTimers();
    const { sfn, lines } = startWorker(async () => ok(), { clock, pollErrors: 3 });
    await clock.tick(0);
    expect(sfn.polls).toBe(1);
    await clock.tick(499);
    expect(sfn.polls).toBe(1);
    await clock.tick(1);
    expect(sfn.polls).toBe(2);
    await clock.tick(1_000);
    expect(sfn.polls).toBe(3);
    await clock.tick(2_000);
    expect(sfn.polls).toBe(4);
    expect(lines.filter((l) => l.includes('GetActivityTask failed')).map((l) => (JSON.parse(l) as { retryInMs: number }).retryInMs)).toEqual([500, 1000, 2000]);
    const token = sfn.give(task('gather-facts', [collect()]));
    expect((await sfn.answered(token)).kind).toBe('success');
  });

  it('abandons the command when Step Functions refuses a heartbeat, and never reports success', async () => {
    const clock = new ManualTimers();
    let signal: AbortSignal | undefined;
    const command = held();
    let returned = false;
    const { sfn } = startWorker(async (_c, ctx) => {
      signal = ctx.signal;
      await command.run();
      returned = true;
      return ok();
    }, { clock });
    sfn.heartbeatError = Object.assign(new Error('Task timed out'), { name: 'TaskTimedOut' });
    const token = sfn.give(task('apply-aci', [collect()], 1));
    await command.started;
    await clock.tick(1_000);
    const answer = await sfn.answered(token);
    expect(answer).toMatchObject({ kind: 'failure', error: 'AgentShutdown', cause: expect.stringContaining('TaskTimedOut') });
    expect(signal?.aborted).toBe(true);
    // The command ignores its signal and finishes later: its result goes nowhere.
    command.finish();
    await clock.tick(5_000);
    expect(returned).toBe(true);
    expect(sfn.sent.some((s) => s.kind === 'success')).toBe(false);
  });

  it('on stop, fails the running task with AgentShutdown and aborts its command', async () => {
    let signal: AbortSignal | undefined;
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { sfn, worker } = startWorker((_c, ctx) => {
      signal = ctx.signal;
      started();
      return new Promise(() => undefined); // a command that would never finish by itself
    });
    const token = sfn.give(task('verify', [collect()], 5));
    await running;
    // stop() settles although the command never does (else the test times out).
    await worker.stop();
    expect(await sfn.answered(token)).toMatchObject({ kind: 'failure', error: 'AgentShutdown', cause: expect.stringMatching(/shutting down/) });
    expect(signal?.aborted).toBe(true);
  });

  it('keeps protocol error names, reports others as AgentError with the name in the cause, and masks secrets', async () => {
    const { sfn, lines } = startWorker(async (command) => {
      if (command.type === 'aci.collect' && command.fabric === 'dc2-aci') throw Object.assign(new Error(`login with ${secret} refused`), { name: 'ApicAuthFailed' });
      throw Object.assign(new Error(`APIC answered 400 for pwd ${secret}`), { name: 'ApicError' });
    });
    const named = sfn.give(task('gather-facts', [collect()]));
    const other = sfn.give(task('gather-facts', [collect('dc2-aci')]));
    expect(await sfn.answered(named)).toMatchObject({ error: 'ApicError', cause: 'APIC answered 400 for pwd ***' });
    expect(await sfn.answered(other)).toMatchObject({ error: 'AgentError', cause: 'ApicAuthFailed: login with *** refused' });
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.some((l) => l.includes('"error":"ApicAuthFailed"'))).toBe(true);
  });

  it('sends a result over the payload limit summarised: valid JSON under the limit, with digest and what was dropped', async () => {
    const mo = (i: number) => ({ fvTenant: { attributes: { dn: `uni/tn-t${i}`, name: `t${i}`, modTs: '2026-11-23T05:00:00.000+00:00', uid: '15374', userdom: ':all:', lcOwn: 'local', monPolDn: 'uni/tn-common/monepg-default' } } });
    const { sfn } = startWorker(async () => ({ type: 'aci.collect', responses: [{ name: 'tenants', imdata: Array.from({ length: 200 }, (_, i) => mo(i)), totalCount: 200 }] }), { maxResultBytes: 20_000 });
    const token = sfn.give(task('gather-facts', [collect()]));
    const answer = await sfn.answered(token);
    expect(answer.kind).toBe('success');
    expect(Buffer.byteLength(answer.output ?? '', 'utf8')).toBeLessThanOrEqual(20_000);
    const result = AgentResult.parse(JSON.parse(answer.output ?? ''));
    expect(result.summarised).toMatchObject({ digest: expect.stringMatching(/^[0-9a-f]{64}$/), dropped: ['volatile APIC attributes'] });
    expect(result.summarised?.bytes).toBeGreaterThan(20_000);
  });

  it('stores a result over the inline limit in chunks and sends only {ref, sha256, bytes}: nothing summarised (issue 20)', async () => {
    const stored: AgentResultChunk[] = [];
    const resultStore: ResultStore = { put: async (items) => void stored.push(...items) };
    const mo = (i: number) => ({ fvTenant: { attributes: { dn: `uni/tn-t${i}`, name: `t${i}`, descr: 'x'.repeat(200) } } });
    const { sfn } = startWorker(async () => ({ type: 'aci.collect', responses: [{ name: 'tenants', imdata: Array.from({ length: 3000 }, (_, i) => mo(i)), totalCount: 3000 }] }), { inlineResultBytes: 32_768, resultStore });
    const token = sfn.give(task('gather-facts', [collect()]));
    const answer = await sfn.answered(token);
    expect(answer.kind).toBe('success');
    const ref = AgentResultRef.parse(JSON.parse(answer.output ?? ''));
    expect(Buffer.byteLength(answer.output ?? '', 'utf8')).toBeLessThan(400);
    expect(ref.ref).toEqual({ changeId: 'chg-gather-facts', step: 'gather-facts', chunks: stored.length });
    expect(stored.length).toBeGreaterThan(1);
    expect(stored.every((c) => c.pk === 'RESULT#chg-gather-facts' && c.sk.startsWith(`gather-facts#${ref.sha256}#`))).toBe(true);
    const body = Buffer.concat(stored.map((c) => c.data));
    expect(body.length).toBe(ref.bytes);
    const result = AgentResult.parse(JSON.parse(body.toString('utf8')));
    expect(result.summarised).toBeUndefined();
    expect(result.results[0]).toMatchObject({ type: 'aci.collect', responses: [{ totalCount: 3000 }] });
    expect((result.results[0] as { responses: Array<{ imdata: unknown[] }> }).responses[0]?.imdata).toHaveLength(3000);
  });

  it('sends a result at or under the inline limit inline, and falls back to summarising when storing fails', async () => {
    const resultStore: ResultStore = { put: async () => { throw Object.assign(new Error('AccessDenied'), { name: 'AccessDeniedException' }); } };
    const small = startWorker(async () => ok(), { inlineResultBytes: 32_768, resultStore });
    const first = await small.sfn.answered(small.sfn.give(task('gather-facts', [collect()])));
    expect(AgentResult.parse(JSON.parse(first.output ?? '')).summarised).toBeUndefined();
    const mo = (i: number) => ({ fvTenant: { attributes: { dn: `uni/tn-t${i}`, name: `t${i}`, modTs: '2026-11-23T05:00:00.000+00:00', uid: '15374', userdom: ':all:', lcOwn: 'local', monPolDn: 'uni/tn-common/monepg-default' } } });
    const big = startWorker(async () => ({ type: 'aci.collect', responses: [{ name: 'tenants', imdata: Array.from({ length: 200 }, (_, i) => mo(i)), totalCount: 200 }] }), { maxResultBytes: 20_000, inlineResultBytes: 4_096, resultStore });
    const answer = await big.sfn.answered(big.sfn.give(task('gather-facts', [collect()])));
    expect(AgentResult.parse(JSON.parse(answer.output ?? '')).summarised?.dropped).toEqual(['volatile APIC attributes']);
    expect(big.lines.some((l) => l.includes('result not stored') && l.includes('AccessDeniedException'))).toBe(true);
  });

  it('fails a result it cannot fit under the payload limit instead of sending or cutting it', async () => {
    const { sfn } = startWorker(async () => ({
      type: 'aci.apply',
      ok: true,
      ops: Array.from({ length: 500 }, (_, i) => ({ opId: `op-${i}`, outcome: 'applied' as const, startedAt: '2026-11-23T05:00:00.000Z', durationMs: 1, requests: 1, readback: 'matched' as const })),
    }), { maxResultBytes: 4_096 });
    const token = sfn.give(task('apply-aci', [{ type: 'aci.apply', fabric: 'dc1-aci', ops: [] }]));
    expect(await sfn.answered(token)).toMatchObject({ kind: 'failure', error: 'AgentError', cause: expect.stringMatching(/^ResultTooLarge: apply-aci finished but its result is \d+ bytes/) });
  });

  it('runs one command at a time per fabric, even with concurrency 2', async () => {
    const active = new Map<string, number>();
    let overlapSameFabric = false;
    let overlapAcross = false;
    const { sfn } = startWorker(async (command) => {
      const fabric = command.type === 'aci.collect' ? command.fabric : '';
      active.set(fabric, (active.get(fabric) ?? 0) + 1);
      if ((active.get(fabric) ?? 0) > 1) overlapSameFabric = true;
      if ([...active.values()].filter((n) => n > 0).length > 1) overlapAcross = true;
      // Held until the test has seen who else got to run meanwhile.
      await new Promise<void>((resolve) => release.push(resolve));
      active.set(fabric, (active.get(fabric) ?? 1) - 1);
      return ok();
    }, { concurrency: 2 });
    const release: Array<() => void> = [];
    const turns = async () => { for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r)); };
    const same = [sfn.give(task('gather-facts', [collect()])), sfn.give(task('gather-facts', [collect()]))];
    await turns();
    expect(release).toHaveLength(1); // the second waits for the fabric
    release.shift()!();
    await turns();
    release.shift()!();
    for (const t of same) expect((await sfn.answered(t)).kind).toBe('success');
    expect(overlapSameFabric).toBe(false);
    const across = [sfn.give(task('gather-facts', [collect('dc1-aci')])), sfn.give(task('gather-facts', [collect('dc2-aci')]))];
    await turns();
    expect(release).toHaveLength(2);
    for (const r of release.splice(0)) r();
    for (const t of across) expect((await sfn.answered(t)).kind).toBe('success');
    expect(overlapAcross).toBe(true);
  });

  it('gathers facts from the fabric and the cluster at once, results in task order; a step that writes runs its commands one after another', async () => {
    const started: string[] = [];
    const release: Array<() => void> = [];
    const { sfn } = startWorker(async (command) => {
      started.push(command.type);
      await new Promise<void>((resolve) => release.push(resolve));
      return command.type === 'cluster.collect' ? { type: 'cluster.collect', objects: [] } : ok();
    });
    const turns = async () => { for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r)); };
    const clusterCollect: AgentCommand = { type: 'cluster.collect', cluster: 'prod-a', spec, ciliumStatus: false };
    const facts = sfn.give(task('gather-facts', [collect(), clusterCollect]));
    await turns();
    // Both reads are under way before either has answered.
    expect(started).toEqual(['aci.collect', 'cluster.collect']);
    // The cluster answers first; the result still lists the fabric first, as the task did.
    release.pop()!();
    await turns();
    release.pop()!();
    const answer = AgentResult.parse(JSON.parse((await sfn.answered(facts)).output ?? '{}'));
    expect(answer.results.map((r) => r.type)).toEqual(['aci.collect', 'cluster.collect']);

    started.length = 0;
    const snapshotTwice = sfn.give(task('snapshot', [collect('dc1-aci'), collect('dc2-aci')]));
    await turns();
    expect(started).toEqual(['aci.collect']);
    release.shift()!();
    await turns();
    expect(started).toEqual(['aci.collect', 'aci.collect']);
    release.shift()!();
    expect((await sfn.answered(snapshotTwice)).kind).toBe('success');
  });

  it('fires agent.crash=apply.aci right after the first device write, and a read-only step at its first checkpoint', async () => {
    class Crashed extends Error {}
    const firedAt: string[] = [];
    const labels: string[] = [];
    const run: RunCommand = async (_c, ctx: CommandContext) => {
      for (const [label, at] of [['op-1', undefined], ['op-1 sent', { afterWrite: true }], ['op-2', undefined]] as const) {
        labels.push(label);
        try {
          ctx.checkpoint(label, at);
        } catch (err) {
          if (err instanceof Crashed) firedAt.push(`${ctx.task.step}@${label}`);
          throw err;
        }
      }
      return ok();
    };
    const apply = startWorker(run, { crashStep: 'apply.aci', crash: () => { throw new Crashed('crash'); } });
    await apply.sfn.answered(apply.sfn.give(task('apply-aci', [{ type: 'aci.apply', fabric: 'dc1-aci', ops: [] }])));
    const facts = startWorker(run, { crashStep: 'gather.facts', crash: () => { throw new Crashed('crash'); } });
    await facts.sfn.answered(facts.sfn.give(task('gather-facts', [collect()])));
    const other = startWorker(run, { crashStep: 'apply.cluster', crash: () => { throw new Crashed('crash'); } });
    expect((await other.sfn.answered(other.sfn.give(task('apply-aci', [collect()])))).kind).toBe('success');
    expect(firedAt).toEqual(['apply-aci@op-1 sent', 'gather-facts@op-1']);
  });
});
