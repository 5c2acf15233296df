import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../local/dev/dev-stack.js';
import type { AuditEvent } from '../shared/store/index.js';
import { startLabFacts } from '../test/support/lab-facts.js';
import { startWorkflowHarness, type WorkflowHarness } from '../test/support/workflow-harness.js';
import { localTiming, type WorkflowTiming } from '../workflows/timing.js';
import { seconds, showSpread, sleep, spread } from './figures.js';
import { maxOverlap, windowsOf, type Window } from './target-windows.js';
import { simulatedDevices } from './simulated-devices.js';

// 100 tickets over 10 targets submitted at once to the real workflow (CDK-built ASL, real Lambda
// handlers, dynalite) on the local engine. The lab has one fabric and one cluster, so a scripted
// agent stands in for ten: it answers gather-facts with facts gathered once from the lab (so the
// prechecks pass and the changes really apply) and spends a simulated device time per op on
// every other step. What it shows: the makespan against the busiest target's serial work, and —
// from the audit trail — that no target ever had two changes applying at once.

export interface ManyTicketsOptions {
  readonly tickets: number;
  readonly targets: number;
  /** Simulated device time per op (apply ops, one per gather/snapshot/verify step). */
  readonly opMs: number;
  /** Scripted agent workers polling the Activity (the real agent runs one per site and target). */
  readonly workers: number;
  readonly lockWait: WorkflowTiming['lockWait'];
  readonly log?: (line: string) => void;
}

export interface ManyTicketsResult {
  readonly makespanMs: number;
  readonly longestSerialMs: number;
  readonly statuses: Record<string, number>;
  readonly maxApplyingPerTarget: number;
  readonly maxLockedPerTarget: number;
}

export function parseManyTicketsArgs(argv: readonly string[]): ManyTicketsOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      tickets: { type: 'string' }, targets: { type: 'string' }, 'op-ms': { type: 'string' }, workers: { type: 'string' },
      'lock-interval': { type: 'string' }, 'lock-attempts': { type: 'string' }, 'lock-backoff': { type: 'string' }, 'local-timing': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: false,
  });
  const num = (v: unknown, fallback: number) => (typeof v === 'string' ? Number(v) : fallback);
  // Enough retries that ten changes on one target all get their turn; --local-timing shows what
  // the embedded default (5 attempts over ~13 s) does instead.
  const lockWait = values['local-timing'] ? localTiming.lockWait : { sliceSeconds: 300, maxWaitSeconds: 3000 };
  return { tickets: num(values.tickets, 100), targets: num(values.targets, 10), opMs: num(values['op-ms'], 200), workers: num(values.workers, 12), lockWait };
}

export async function runManyTicketsBench(options: ManyTicketsOptions): Promise<ManyTicketsResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const onboard = await readFile(join(repoRoot, 'examples/onboard-prod-a.yaml'), 'utf8');
  const limits = { heartbeatSeconds: 60, timeoutSeconds: 600 };
  const timing: WorkflowTiming = {
    agent: { 'gather-facts': limits, snapshot: limits, 'apply-aci': limits, 'apply-cluster': limits, verify: limits, rollback: limits },
    lockWait: options.lockWait,
    executionTimeoutSeconds: 3600,
  };
  const [h, labs] = await Promise.all([startWorkflowHarness({ timing }), startLabFacts()]);
  try {
    const devices = simulatedDevices(labs, options.opMs);
    for (let i = 0; i < options.workers; i += 1) h.runAgent(devices.script);
    log(
      `many-tickets bench: ${options.tickets} onboarding changes over ${options.targets} targets (fabric-N/cluster-N, site dc1), all started at once on the local engine; ` +
        `scripted agent (${options.workers} workers) with ${options.opMs} ms of device time per op; busy targets queue (FIFO, handoff on release)`,
    );

    const names = Array.from({ length: options.tickets }, (_, i) => `bench-many-${String(i).padStart(3, '0')}`);
    const targetOf = (i: number) => i % options.targets;
    const requests = names.map((name, i) => ({
      name,
      request: { source: 'api', requestedBy: 'bench', ticket: { system: 'none' }, spec: onboard.replace('fabric: dc1-aci', `fabric: fabric-${targetOf(i)}`).replace('cluster: prod-a', `cluster: cluster-${targetOf(i)}`) },
    }));
    const arns = await Promise.all(requests.map((r) => h.start(r.name, r.request)));
    await allEnded(h, options.tickets, log);

    const executions = await Promise.all(arns.map((executionArn) => h.sfn.send(new DescribeExecutionCommand({ executionArn }))));
    const firstStart = Math.min(...executions.map((e) => e.startDate?.getTime() ?? Number.NaN));
    const lastStop = Math.max(...executions.map((e) => e.stopDate?.getTime() ?? Number.NaN));
    const makespanMs = lastStop - firstStart;

    const statuses: Record<string, number> = {};
    const applyWindows = new Map<number, Window[]>();
    const lockWindows = new Map<number, Window[]>();
    const serialMs = new Map<number, number>();
    const reasons = new Set<string>();
    for (const [i, name] of names.entries()) {
      const { change, events } = await h.store.getChangeWithEvents(name);
      const label = change.status === 'REJECTED' ? `REJECTED:${(change.outcome?.reason ?? '').split(':')[0]}` : change.status;
      statuses[label] = (statuses[label] ?? 0) + 1;
      if (change.status !== 'SUCCEEDED') reasons.add(change.outcome?.reason?.slice(0, 160) ?? 'no reason recorded');
      const target = targetOf(i);
      const windows = windowsOf(name, events as AuditEvent[]);
      if (windows.apply) applyWindows.set(target, [...(applyWindows.get(target) ?? []), windows.apply]);
      if (windows.lock) lockWindows.set(target, [...(lockWindows.get(target) ?? []), windows.lock]);
      serialMs.set(target, (serialMs.get(target) ?? 0) + devices.deviceMs(name));
    }
    const longestSerialMs = Math.max(...serialMs.values());
    const perTarget = [...applyWindows.keys()].sort((a, b) => a - b).map((t) => ({
      target: t,
      applying: maxOverlap(applyWindows.get(t) ?? []),
      locked: maxOverlap(lockWindows.get(t) ?? []),
      changes: (applyWindows.get(t) ?? []).length,
    }));
    const maxApplyingPerTarget = Math.max(0, ...perTarget.map((p) => p.applying));
    const maxLockedPerTarget = Math.max(0, ...perTarget.map((p) => p.locked));

    log(`ended: ${Object.entries(statuses).map(([s, n]) => `${n} ${s}`).join(', ')}`);
    const example = [...reasons.keys()][0];
    if (example) log(`  e.g. ${example}`);
    log(`makespan (first start → last end): ${seconds(makespanMs)}`);
    log(`longest target's serial work (sum of its changes' device time): ${seconds(longestSerialMs)}`);
    log(`makespan / longest serial work: ${(makespanMs / longestSerialMs).toFixed(2)}× (1.00× = targets fully parallel, no overhead)`);
    log(`all targets' device time, summed: ${seconds([...serialMs.values()].reduce((a, b) => a + b, 0))} → ${((([...serialMs.values()].reduce((a, b) => a + b, 0)) / makespanMs)).toFixed(2)} targets busy on average`);
    const held = [...lockWindows.values()].flat().map((w) => w.to - w.from);
    const handoffs = [...lockWindows.values()].flatMap(handoffGaps);
    const heldSpread = spread(held);
    const handoffSpread = spread(handoffs);
    log(`a change holds its target (lock.acquired → lock.released): ${showSpread(heldSpread)} for ${seconds(spread([...applyWindows.values()].flat().map((w) => devices.deviceMs(w.changeId))).median)} of device time`);
    log(`handoff (lock.released → next change's lock.acquired on that target): ${showSpread(handoffSpread)}`);
    log('per target — changes applied / most applying at once (apply.*.started → change.<final>) / most holding its locks at once (lock.acquired → lock.released):');
    log(`  ${perTarget.map((p) => `t${p.target} ${p.changes}/${p.applying}/${p.locked}`).join('  ')}`);
    log(`max concurrency per target: applying ${maxApplyingPerTarget}, locked ${maxLockedPerTarget} ${maxApplyingPerTarget <= 1 && maxLockedPerTarget <= 1 ? '(never two at once)' : '— OVERLAP: two changes held one target'}`);
    return { makespanMs, longestSerialMs, statuses, maxApplyingPerTarget, maxLockedPerTarget };
  } finally {
    await h.close();
    await labs.close();
  }
}

async function allEnded(h: WorkflowHarness, total: number, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    const running = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: h.stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000 }));
    const left = running.executions?.length ?? 0;
    if (left === 0) return;
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      log(`  ${seconds(Date.now() - started, 0)}: ${total - left}/${total} ended`);
    }
    if (Date.now() - started > 30 * 60_000) throw new Error(`expected all ${total} executions to end within 30 minutes; ${left} are still RUNNING`);
    await sleep(500);
  }
}

/** Idle time between one change releasing a target and the next acquiring it. */
function handoffGaps(windows: readonly Window[]): number[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from);
  return sorted.slice(1).map((w, i) => w.from - (sorted[i] as Window).to);
}
