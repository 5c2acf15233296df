import { describe, expect, it, onTestFailed } from 'vitest';
import { stringify } from 'yaml';
import * as z from '../../shared/zod.js';
import { createApicClient } from '../../agent/apic/client.js';
import { ApicRequest } from '../../shared/plan/index.js';
import type { ChangeSpec } from '../../shared/spec/index.js';
import {
  cliUnlock, detailsOf, exampleSpec, labCluster, labFabric, readdressed, restored, runChange, Started, startChange, type FaultStack,
} from '../support/fault-harness.js';
import { FaultChain } from './fault-chain.js';
import { expectEnded } from './fault-expect.js';
import type { FaultTable } from './fault-table.js';

// APIC and ticketing faults on one stack, in an order that walks the lab through known states:
// pristine → onboarded, v1 → failed readdress rolled back, v1 → readdressed, v2 →
// back to v1 through a ServiceNow ticket → readdress ending ROLLBACK_FAILED, repaired by hand.
// Counting APIC POSTs (`apic.post`): an apply change POSTs the snapshot first (#1), then one POST
// per APIC op — on an onboarded lab the readdress has two (#2 deletes the old pool subnet and
// egress selector, #3 creates the new ones).

// A persistently failing APIC is given up by the apply and rollback steps in 7 s, not 2 min.
const stack = { name: 'apic', steps: { applyAci: 8, rollback: 8 } };
const onboard = exampleSpec();
const v1 = { block: '10.0.10.0/24', egressIp: '192.168.3.200' };
const v2 = { block: '10.0.20.0/24', egressIp: '192.168.3.201' };
const timeout = 240_000;

let keys = 0;
const start = (fs: FaultStack, spec: ChangeSpec) => () => startChange(fs, spec, `fault-apic-${process.pid}-${++keys}`);

export function apicCases(table: FaultTable): FaultChain {
  const chain = new FaultChain();
  const reportOnFailure = () => onTestFailed(async () => console.log(await chain.logTail()));

  const tokenExpiry = chain.step(stack, async (fs) => {
    await fs.setFaultAt('apic', 'apic.post', 2, 'at', 'apic', 'apic.token=expire@1');
    const run = await runChange(fs, start(fs, onboard));
    table.add({ case: 4, fault: 'apic.token=expire@1', step: 'apply-aci: the op POST', terminal: run.ended.change.status, expected: 'SUCCEEDED', restored: 'n/a (applied)', seconds: run.ended.seconds });
    return { run, calls: await fs.calls('apic') };
  });
  const postError = chain.step(stack, async (fs) => {
    await fs.addFault('apic', 'apic.post=error@3');
    const run = await runChange(fs, start(fs, readdressed(onboard, v2)));
    table.add({ case: 1, fault: 'apic.post=error@3', step: 'apply-aci: 2nd op, 1st applied', terminal: run.ended.change.status, expected: 'ROLLED_BACK', restored: restored(run), seconds: run.ended.seconds });
    return { run };
  });
  const transient503 = chain.step(stack, async (fs) => {
    await fs.setFaultAt('apic', 'apic.post', 2, 'at', 'apic', 'apic.any=http503@1');
    const run = await runChange(fs, start(fs, readdressed(onboard, v2)));
    table.add({ case: 3, fault: 'apic.any=http503@1', step: 'apply-aci: the first op POST', terminal: run.ended.change.status, expected: 'SUCCEEDED', restored: 'n/a (applied)', seconds: run.ended.seconds });
    return { run, calls: await fs.calls('apic') };
  });
  const serviceNow500 = chain.step(stack, async (fs) => {
    // Set once the snapshot is POSTed: after the re-check read the ticket, before any write-back.
    await fs.setFaultAt('apic', 'apic.post', 1, 'after', 'servicenow', 'servicenow.any=http500');
    const run = await runChange(fs, async () => {
      const delivery = await fs.serviceNowDelivery('fault suite: readdress back to v1', stringify(readdressed(onboard, v1)));
      const res = await fetch(`${fs.endpoints.api}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      return Started.parse(await res.json());
    });
    table.add({ case: 13, fault: 'servicenow.any=http500', step: 'write-back (after recheck)', terminal: run.ended.change.status, expected: 'SUCCEEDED', restored: 'n/a (applied)', seconds: run.ended.seconds });
    await fs.clearFaults();
    const sn = fs.endpoints.servicenow;
    const auth = `Basic ${Buffer.from(`${sn.username}:${sn.password}`).toString('base64')}`;
    const found = await fetch(`${sn.url}/api/now/table/change_request?sysparm_query=number=${run.ended.change.ticket.number ?? ''}`, { headers: { authorization: auth, accept: 'application/json' } });
    const ticket = z.object({ result: z.array(z.object({ state: z.string(), close_code: z.optional(z.string()) })) }).parse(await found.json()).result[0];
    return { run, ticket };
  });
  const persistent503 = chain.step(stack, async (fs) => {
    await fs.setFaultAt('apic', 'apic.post', 2, 'after', 'apic', 'apic.any=http503');
    const run = await runChange(fs, start(fs, readdressed(onboard, v2)));
    table.add({ case: 2, fault: 'apic.any=http503', step: 'apply-aci: after the 1st op was written', terminal: run.ended.change.status, expected: 'ROLLBACK_FAILED', restored: 'no (locks held); yes after unlock + recorded inverse', seconds: run.ended.seconds });
    const calls = await fs.calls('apic');
    // The operator's way out: the APIC answers again, the leases are released and recorded…
    await fs.clearFaults();
    const unlocked = await Promise.all([labFabric, labCluster].map((target) => cliUnlock(fs, target, 'APIC back; delete op undone by hand from the audit trail')));
    const locksAfter = await Promise.all([fs.store.locks.get(labFabric), fs.store.locks.get(labCluster)]);
    const trail = await fs.store.getChangeWithEvents(run.started.changeId);
    const chainAfter = await fs.store.audit.verify(run.started.changeId);
    // …and the inverse recorded before the op ran is replayed through the APIC REST API.
    const before = detailsOf(trail.events, 'apply.aci.op.before').find((d) => d['opId'] === 'aci.delete.k8s-prod-a');
    const inverse = z.array(ApicRequest).parse(before?.['inverse']);
    const apic = createApicClient({ url: fs.endpoints.apic.url, username: fs.endpoints.apic.username, password: fs.endpoints.apic.password });
    for (const request of inverse) await apic.post(request.dn, request.body ?? {});
    await apic.logout();
    return { run, calls, unlocked, locksAfter, trail, chainAfter, repaired: await fs.dumps() };
  });

  describe('APIC and ticketing faults (one stack, in order)', () => {
    it('4 · apic.token=expire@1 on the apply POST: the agent logs in again, sends the POST once more, SUCCEEDED', async () => {
      reportOnFailure();
      const { run, calls } = await tokenExpiry();
      expectEnded(run, 'SUCCEEDED', 'released');
      expect(calls.sinceTrigger.slice(0, 3).map((c) => c.call)).toEqual(['apic.post', 'apic.login', 'apic.post']);
      expect(detailsOf(run.ended.events, 'apply.aci.op')).toEqual([expect.objectContaining({ outcome: 'applied', readback: 'matched', requests: 1 })]);
      expect(run.after.apic).not.toBe(run.before.apic);
    }, timeout);

    it('1 · apic.post=error@3 on the second APIC op after the first applied: ROLLED_BACK, both dumps as before', async () => {
      reportOnFailure();
      const { run } = await postError();
      expectEnded(run, 'ROLLED_BACK', 'released');
      expect(run.ended.execution).toEqual({ status: 'FAILED', error: 'ROLLED_BACK' });
      expect(detailsOf(run.ended.events, 'apply.aci.op')).toEqual([
        expect.objectContaining({ opId: 'aci.delete.k8s-prod-a', outcome: 'applied' }),
        expect.objectContaining({ opId: 'aci.create.k8s-prod-a', outcome: 'failed', error: expect.stringMatching(/Invalid Configuration|injected fault/) }),
      ]);
      expect(detailsOf(run.ended.events, 'rollback.op').find((op) => String(op['opId']).startsWith('aci.delete'))).toMatchObject({ outcome: 'applied', readback: 'matched' });
      expect(run.after.apic).toBe(run.before.apic);
      expect(run.after.kubernetes).toBe(run.before.kubernetes);
    }, timeout);

    it('3 · apic.any=http503@1 on the apply POST (transient): the client retries, SUCCEEDED', async () => {
      reportOnFailure();
      const { run, calls } = await transient503();
      expectEnded(run, 'SUCCEEDED', 'released');
      expect(calls.sinceTrigger.filter((c) => c.call === 'apic.post').slice(0, 2)).toEqual([{ call: 'apic.post', fired: 'http503' }, { call: 'apic.post' }]);
      expect(detailsOf(run.ended.events, 'apply.aci.op').map((op) => op['outcome'])).toEqual(['applied', 'applied']);
    }, timeout);

    it('13 · servicenow.any=http500 once the ticket was re-checked: the change still SUCCEEDED, the write-back failure is audited', async () => {
      reportOnFailure();
      const { run, ticket } = await serviceNow500();
      expectEnded(run, 'SUCCEEDED', 'released');
      expect(run.ended.change.ticket.system).toBe('servicenow');
      const failures = detailsOf(run.ended.events, 'ticket.writeback.failed');
      expect(failures.map((f) => f['what'])).toContain('close');
      expect(failures.every((f) => f['system'] === 'servicenow')).toBe(true);
      expect(run.ended.events.map((e) => e.type)).not.toContain('ticket.closed');
      // Nothing got through to the ticket: still in Implement, no close code.
      expect(ticket).toMatchObject({ state: '-1' });
      expect(ticket?.close_code ?? '').toBe('');
    }, timeout);

    it('2 · apic.any=http503 from right after the first op was written: retries, ROLLBACK_FAILED with both locks held until `changeflow unlock`', async () => {
      reportOnFailure();
      const { run, calls, unlocked, locksAfter, trail, chainAfter, repaired } = await persistent503();
      expectEnded(run, 'ROLLBACK_FAILED', 'held');
      expect(run.ended.execution).toEqual({ status: 'FAILED', error: 'ROLLBACK_FAILED' });
      // The client retried the same read-back against the 503 wall before the step gave up.
      expect(calls.sinceTrigger.filter((c) => c.fired === 'http503').length).toBeGreaterThanOrEqual(3);
      const types = run.ended.events.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['apply.aci.started', 'rollback.started']));
      expect(types).not.toContain('rollback.verified');
      // The delete op reached the APIC before it stopped answering: the fabric is NOT as before.
      expect(run.after.apic).not.toBe(run.before.apic);
      expect(run.after.kubernetes).toBe(run.before.kubernetes);
      // `changeflow unlock` released both held leases and recorded it in the change's trail.
      expect(unlocked.map((u) => u.code)).toEqual([0, 0]);
      expect(unlocked[0]?.stdout).toMatch(/unlocked fabric#dc1-aci \(was held after ROLLBACK_FAILED by change /);
      expect(locksAfter).toEqual([undefined, undefined]);
      expect(trail.events.filter((e) => e.type === 'lock.released.forced').map((e) => (e.detail as { target: string }).target).sort()).toEqual(['cluster#prod-a', 'fabric#dc1-aci']);
      expect(chainAfter).toMatchObject({ valid: true });
      // The inverse the trail recorded before the op ran puts the fabric back byte for byte.
      expect(repaired.apic).toBe(run.before.apic);
    }, timeout);
  });
  return chain;
}
