import { describe, expect, it, onTestFailed } from 'vitest';
import { detailsOf, exampleSpec, labCluster, labFabric, restored, runChange, startChange, type FaultStack } from '../support/fault-harness.js';
import { FaultChain, type StackSpec } from './fault-chain.js';
import { expectEnded, expectPristine } from './fault-expect.js';
import type { FaultTable } from './fault-table.js';

// Kubernetes, BGP and Cilium faults on one stack. Every case onboards the pristine lab (bgpPeering
// + pool + egress gateway: one APIC op, five cluster ops) and must leave it pristine. Counting
// server-side applies (`kubernetes.apply`): the five dry runs go first, all at once, before any
// write (agent/commands/cluster-preflight.ts), then the five applies in plan order, so apply #7
// is the second op's write, right after the first was stored.
const stack = { name: 'cluster' };
const onboard = exampleSpec();
const timeout = 240_000;

let keys = 0;
const start = (fs: FaultStack) => () => startChange(fs, onboard, `fault-cluster-${process.pid}-${++keys}`);

export function clusterCases(table: FaultTable): FaultChain {
  const chain = new FaultChain();
  const reportOnFailure = () => onTestFailed(async () => console.log(await chain.logTail()));
  const simple = (n: number, fault: string, book: 'kubernetes' | 'world', step: string, expected: string) =>
    chain.step(stack, async (fs) => {
      await fs.addFault(book, fault);
      const run = await runChange(fs, start(fs));
      table.add({ case: n, fault, step, terminal: run.ended.change.status, expected, restored: expected === 'FAILED' ? `unchanged: ${restored(run)}` : restored(run), seconds: run.ended.seconds });
      return run;
    });

  const planOnly = chain.step(stack, async (fs) => {
    await fs.addFault('apic', 'apic.post=error');
    const run = await runChange(fs, () => startChange(fs, { ...onboard, mode: 'plan-only' }, `fault-cluster-${process.pid}-${++keys}`));
    table.add({ case: 14, fault: 'apic.post=error', step: 'plan-only change', terminal: run.ended.change.status, expected: 'PLANNED', restored: `unchanged: ${restored(run)}`, seconds: run.ended.seconds });
    return { run, calls: await fs.calls('apic') };
  });
  const downAtFacts = simple(6, 'kubernetes.any=down', 'kubernetes', 'gather-facts', 'FAILED');
  const conflict = simple(5, 'kubernetes.apply=conflict@7', 'kubernetes', 'apply-cluster: 2nd op, 1st stored', 'ROLLED_BACK');
  const bgpNever = simple(8, 'bgp.establish=never', 'world', 'verify: BGP sessions', 'ROLLED_BACK');
  const connectivityFail = simple(9, 'cilium.connectivity=fail', 'world', 'verify: connectivity test', 'ROLLED_BACK');
  const downAfterAci = chain.step(stack, async (fs) => {
    await fs.setFaultAt('apic', 'apic.post', 2, 'after', 'kubernetes', 'kubernetes.any=down');
    const run = await runChange(fs, start(fs));
    table.add({ case: 7, fault: 'kubernetes.any=down', step: 'after apply-aci, before apply-cluster', terminal: run.ended.change.status, expected: 'ROLLBACK_FAILED', restored: `${restored(run)} (APIC inverse ran; cluster never written)`, seconds: run.ended.seconds });
    await fs.clearFaults();
    const released = await Promise.all([labFabric, labCluster].map((target) => fs.store.locks.forceUnlock(target, 'fault-suite', 'cluster back; nothing was written to it')));
    return { run, released, chainAfter: await fs.store.audit.verify(run.started.changeId) };
  });

  describe('Kubernetes, BGP and Cilium faults (one stack)', () => {
    it('14 · a plan-only change under apic.post=error stops at PLANNED and posts nothing', async () => {
      reportOnFailure();
      const { run, calls } = await planOnly();
      expectEnded(run, 'PLANNED', 'released');
      expect(run.ended.execution.status).toBe('SUCCEEDED');
      expect(calls.calls.filter((c) => c.call === 'apic.post')).toEqual([]);
      expect(run.ended.events.some((e) => e.type.startsWith('apply.') || e.type === 'snapshot.created')).toBe(false);
      expectPristine(run);
    }, timeout);

    it('6 · kubernetes.any=down while gathering facts: FAILED before anything is touched, locks released', async () => {
      reportOnFailure();
      const run = await downAtFacts();
      expectEnded(run, 'FAILED', 'released');
      expect(run.ended.execution).toEqual({ status: 'FAILED', error: 'FAILED' });
      const types = run.ended.events.map((e) => e.type);
      expect(types).not.toContain('facts.gathered');
      expect(types.some((t) => t.startsWith('apply.') || t === 'snapshot.created')).toBe(false);
      expectPristine(run);
    }, timeout);

    it('5 · kubernetes.apply=conflict@7 on the second cluster op after the first was stored: ROLLED_BACK, both dumps as before', async () => {
      reportOnFailure();
      const run = await conflict();
      expectEnded(run, 'ROLLED_BACK', 'released');
      const ops = detailsOf(run.ended.events, 'apply.cluster.op');
      expect(ops.map((op) => op['outcome'])).toEqual(['applied', 'failed', 'skipped', 'skipped', 'skipped']);
      expect(String(ops[1]?.['error'])).toMatch(/ApplyConflict|conflict/i);
      expect(detailsOf(run.ended.events, 'rollback.op').every((op) => op['outcome'] !== 'failed')).toBe(true);
      expectPristine(run);
    }, timeout);

    it('8 · bgp.establish=never on a bgpPeering change: verify fails after the 10 s BGP wait, ROLLED_BACK', async () => {
      reportOnFailure();
      const run = await bgpNever();
      expectEnded(run, 'ROLLED_BACK', 'released');
      expect(detailsOf(run.ended.events, 'verify.bgp-fabric')).toEqual([expect.objectContaining({ verdict: 'fail', evidence: expect.stringMatching(/^after 1\d s: not established/) })]);
      expect(detailsOf(run.ended.events, 'verify.bgp-cluster')).toEqual([expect.objectContaining({ verdict: 'fail' })]);
      // A failed BGP check means the connectivity test is not even started.
      expect(detailsOf(run.ended.events, 'verify.connectivity-test')).toEqual([]);
      expectPristine(run);
    }, timeout);

    it('9 · cilium.connectivity=fail: the connectivity test fails, ROLLED_BACK', async () => {
      reportOnFailure();
      const run = await connectivityFail();
      expectEnded(run, 'ROLLED_BACK', 'released');
      expect(detailsOf(run.ended.events, 'verify.bgp-fabric')).toEqual([expect.objectContaining({ verdict: 'pass' })]);
      expect(detailsOf(run.ended.events, 'verify.connectivity-test')).toEqual([expect.objectContaining({ verdict: 'fail', evidence: expect.stringMatching(/[1-9]\d* failed/) })]);
      expectPristine(run);
    }, timeout);

    it('7 · kubernetes.any=down from right after the APIC op was written: the cluster inverses cannot run, ROLLBACK_FAILED, APIC restored, locks held', async () => {
      reportOnFailure();
      const { run, released, chainAfter } = await downAfterAci();
      expectEnded(run, 'ROLLBACK_FAILED', 'held');
      expect(run.ended.execution).toEqual({ status: 'FAILED', error: 'ROLLBACK_FAILED' });
      expect(detailsOf(run.ended.events, 'apply.aci.op')).toEqual([expect.objectContaining({ outcome: 'applied' })]);
      expect(detailsOf(run.ended.events, 'apply.cluster.op').map((op) => op['requests'])).toEqual([0, 0, 0, 0, 0]);
      // The workflow marks the cluster apply as begun before the agent runs it, so the rollback
      // owes the cluster its inverses; with the API server down it cannot confirm them, and says so.
      const undone = detailsOf(run.ended.events, 'rollback.op');
      expect(undone.filter((op) => String(op['opId']).startsWith('cluster/')).map((op) => op['outcome'])).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
      expect(undone.filter((op) => String(op['opId']).startsWith('aci.'))).toEqual([expect.objectContaining({ outcome: 'applied', readback: 'matched' })]);
      expectPristine(run);
      // forceUnlock (what `changeflow unlock` calls) frees both held leases, recorded in the trail.
      expect(released.map((r) => [r.released, r.previous?.held])).toEqual([[true, true], [true, true]]);
      expect(chainAfter).toMatchObject({ valid: true, events: run.ended.events.length + 2 });
    }, timeout);
  });
  return chain;
}

/**
 * cilium.connectivity=hang, on a stack whose verify step lasts 25 s: the agent gives up 3 s before
 * the step's timeout and never lets `cilium connectivity test` run past its own deadline minus
 * 10 s, so the spec's 60 s (the schema's minimum) becomes `--timeout 11s`, which the lab cilium
 * honours like the real one.
 */
export function connectivityHangCase(table: FaultTable, chain: FaultChain, stack: StackSpec): void {
  const connectivityHang = chain.step(stack, async (fs) => {
    await fs.addFault('world', 'cilium.connectivity=hang');
    const run = await runChange(fs, () => startChange(fs, onboard, `fault-hang-${process.pid}`));
    table.add({ case: 10, fault: 'cilium.connectivity=hang', step: 'verify: connectivity test', terminal: run.ended.change.status, expected: 'ROLLED_BACK', restored: restored(run), seconds: run.ended.seconds });
    return run;
  });
  describe('a hanging connectivity test', () => {
    it('10 · cilium.connectivity=hang: the suite is cut at the --timeout the agent derives from its deadline, not a pass, ROLLED_BACK', async () => {
      onTestFailed(async () => console.log(await chain.logTail()));
      const run = await connectivityHang();
      expectEnded(run, 'ROLLED_BACK', 'released');
      // The CLI honoured the 11 s --timeout (not the spec's 60 s) and cancelled the suite. The
      // product reads a run cancelled before any test finished as a failed setup ("fail"); a run
      // the agent had to kill would be "inconclusive". Either way not a pass: rolled back.
      const [connectivity] = detailsOf(run.ended.events, 'verify.connectivity-test');
      expect(connectivity).toMatchObject({ verdict: expect.stringMatching(/^(fail|inconclusive)$/), evidence: expect.stringMatching(/context deadline exceeded|killed at the timeout/) });
      expect(Number(connectivity?.['ms'])).toBeLessThan(20_000);
      expect(detailsOf(run.ended.events, 'rollback.started')).toEqual([expect.objectContaining({ error: 'VerificationFailed' })]);
      expectPristine(run);
    }, timeout);

  });
}
