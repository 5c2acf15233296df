import { describe, expect, it, onTestFailed } from 'vitest';
import { detailsOf, exampleSpec, restored, runChange, startChange, type CaseRun } from '../support/fault-harness.js';
import { FaultChain, type StackSpec } from './fault-chain.js';
import { expectEnded, expectPristine } from './fault-expect.js';
import type { FaultTable } from './fault-table.js';

// agent.crash=STEP is given when the stack starts, exactly as `changeflow dev --fault
// agent.crash=STEP`: the supervisor hands it to the first agent process only, which dies in that
// step; Step Functions notices the silence by the step's heartbeat and the restarted process rolls
// back. So each crash gets a stack of its own.

const onboard = exampleSpec();
const timeout = 240_000;

interface Crash {
  readonly n: number;
  readonly step: 'apply.aci' | 'apply.cluster' | 'verify';
  readonly where: string;
  readonly title: string;
}

export const crashes: readonly Crash[] = [
  { n: 11, step: 'apply.aci', where: 'apply-aci: after its first write', title: 'the agent dies right after its APIC write; the restarted one rolls back, APIC as before' },
  { n: 12, step: 'verify', where: 'verify: first checkpoint', title: 'the agent dies while verifying; the restarted one rolls both sides back' },
  { n: 15, step: 'apply.cluster', where: 'apply-cluster: after its first write', title: 'the agent dies with the APIC done and the cluster half written; both rolled back' },
];

/** A crash case's stack; its verify step lasts 25 s so that a hang case can follow on it. */
export function crashStack(crash: Crash): StackSpec {
  return { name: `crash-${crash.step}`, faults: [`agent.crash=${crash.step}`], steps: { verify: 25 } };
}

export function crashCases(table: FaultTable, group: readonly Crash[]): FaultChain {
  const chain = new FaultChain();
  const outcomes = group.map((crash) =>
    chain.step(crashStack(crash), async (fs) => {
      const run = await runChange(fs, () => startChange(fs, onboard, `fault-crash-${process.pid}-${crash.n}`));
      table.add({ case: crash.n, fault: `agent.crash=${crash.step}`, step: crash.where, terminal: run.ended.change.status, expected: 'ROLLED_BACK', restored: restored(run), seconds: run.ended.seconds });
      return { run, restarts: await fs.agentRestarts(), log: await fs.log() };
    }),
  );

  describe(`agent crashes (${group.map((c) => c.step).join(', ')}; a stack each)`, () => {
    group.forEach((crash, i) => {
      it(`${crash.n} · agent.crash=${crash.step}: ${crash.title}`, async () => {
        onTestFailed(async () => console.log(await chain.logTail()));
        const { run, restarts, log } = await (outcomes[i] as () => Promise<{ run: CaseRun; restarts: number; log: string[] }>)();
        expectEnded(run, 'ROLLED_BACK', 'released');
        expect(run.ended.execution).toEqual({ status: 'FAILED', error: 'ROLLED_BACK' });
        // Nobody told the workflow: it saw the heartbeats stop, and a second process rolled back.
        expect(detailsOf(run.ended.events, 'rollback.started')).toEqual([expect.objectContaining({ error: 'States.HeartbeatTimeout' })]);
        expect(run.ended.events.map((e) => e.type)).toContain('rollback.verified');
        expect(restarts).toBe(1);
        expect(log.find((l) => l.includes('lab fault agent.crash'))).toContain(`"step":"${crash.step.replace('.', '-')}"`);
        const undone = detailsOf(run.ended.events, 'rollback.op').filter((op) => op['outcome'] === 'applied').map((op) => (String(op['opId']).startsWith('aci.') ? 'aci' : 'cluster'));
        // The inverses that had real work: the APIC's always, the cluster's once it was written.
        expect(undone.at(-1)).toBe('aci');
        if (crash.step !== 'apply.aci') expect(undone).toContain('cluster');
        expectPristine(run);
      }, timeout);
    });
  });
  return chain;
}
