import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApicClient, type ApicClient } from '../../../agent/apic/client.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { aciApply } from '../../../agent/commands/aci-apply.js';
import { aciCollect } from '../../../agent/commands/aci-collect.js';
import { apicReadbackHolds, readbackFilterChars } from '../../../agent/commands/apic-readback.js';
import { aciSnapshot } from '../../../agent/commands/aci-snapshot.js';
import { createAgentLog } from '../../../agent/log.js';
import { Redactor } from '../../../shared/runtime/redact.js';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { parseAciFacts, planAci } from '../../../shared/aci/index.js';
import { PROTOCOL } from '../../../shared/agent-protocol/index.js';
import type { Readback } from '../../../shared/plan/index.js';
import { onboardSpec } from '../../unit/aci/support/dc1.js';
import { VirtualClock } from '../../support/virtual-clock.js';

// A handful of requests per change (issue 14 part 3): facts in four queries (tenant, fabric policies
// with the learned endpoints, one total over the three capacity counts, topology), a snapshot in one
// trigger and a poll, an apply in one POST per tenant and one subtree GET after it (the read-back,
// compared in memory); a re-run's POST is refused by the APIC as stale (`created` of what exists)
// and one read-back tells that it had been applied. Counted by the agent's client.

const spec = onboardSpec();
const scope = { tenants: [spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' };
let lab: ApicLab;
let client: ApicClient;

function context(step: 'gather-facts' | 'snapshot' | 'apply-aci'): CommandContext {
  const log = createAgentLog({ redactor: new Redactor(), level: 'error', agent: 'test', write: () => undefined });
  return {
    signal: new AbortController().signal, deadline: new Date(Date.now() + 60_000), log, checkpoint: () => undefined,
    task: { protocol: PROTOCOL, changeId: 'economy', site: 'dc1', step, deadlineSeconds: 60, heartbeatSeconds: 30, commands: [] },
  };
}

/** Requests the client sends while `fn` runs (after its login). */
async function requestsOf(fn: () => Promise<unknown>): Promise<number> {
  await client.login();
  const before = client.stats().requests;
  await fn();
  return client.stats().requests - before;
}

async function facts() {
  const collected = await aciCollect(client, { fabric: 'dc1-aci', spec }, scope, context('gather-facts'));
  return parseAciFacts(collected.responses.flatMap((r) => r.imdata), { tenant: spec.aci.tenant });
}

beforeEach(async () => {
  lab = await startApicLab({ backupDelayMs: 0 });
  client = createApicClient({ url: lab.url, username: lab.username, password: lab.password });
});
afterEach(async () => {
  await lab.close();
});

describe('APIC requests per phase', () => {
  it('gathers the facts in four queries scoped to the change (one total decides the three capacity counts; the learned endpoints ride on the fabric policies), with everything the planner and the prechecks read', async () => {
    let gathered = parseAciFacts([]);
    expect(await requestsOf(async () => { gathered = await facts(); })).toBe(4);
    expect(gathered.controllers?.map((c) => c.version)).toEqual(['6.1(2f)', '6.1(2f)', '6.1(2f)']);
    // The leaves the change programs: its anchors.
    expect(gathered.leaves?.map((l) => l.nodeId)).toEqual([101, 102]);
    expect(gathered.fabricAsn).toBe(65001);
    expect(gathered.physDomains?.find((d) => d.name === 'k8s-phys')?.vlanRanges).toEqual([{ from: 300, to: 399 }]);
    expect(gathered.endpoints?.map((e) => e.ip).sort()).toEqual(['192.168.2.10', '192.168.2.11', '192.168.2.12', '192.168.2.13', '192.168.2.14']);
    expect(Object.keys(gathered.capRules ?? {})).toContain('l3extInstP');
    expect(gathered.mos['uni/tn-k8s-prod-a/ctx-vrf-1']?.className).toBe('fvCtx');
  });

  it('snapshots with one trigger and one poll for exactly the snapshot it triggered', async () => {
    const clock = new VirtualClock();
    let dn = '';
    expect(await requestsOf(async () => { dn = (await aciSnapshot(client, { policy: 'changeflow', waitSeconds: 10 }, context('snapshot'), clock)).snapshotDn; })).toBe(2);
    expect(clock.waits).toEqual([1000]); // an export is never ready sooner: the first poll comes after 1 s
    // A second snapshot is told apart from the first by its own description, not by a list.
    let second = '';
    await aciSnapshot(client, { policy: 'changeflow', waitSeconds: 10 }, context('snapshot'), clock).then((r) => { second = r.snapshotDn; });
    expect(second).not.toBe(dn);
    expect(dn).toMatch(/^uni\/backupst\/snapshots-\[uni\/fabric\/configexp-changeflow\]\/snapshot-run-/);
  });

  it('applies the onboarding in one POST and one read-back after it; a re-run is refused as stale, reads once and changes nothing', async () => {
    const ops = planAci(spec, await facts());
    expect(ops.map((o) => o.id)).toEqual(['aci.create.k8s-prod-a']);
    const byMethod = () => client.stats().byMethod;
    const gets = byMethod()['GET'] ?? 0;
    expect(await requestsOf(async () => expect((await aciApply(client, { ops }, context('apply-aci'))).ok).toBe(true))).toBe(2);
    expect((byMethod()['GET'] ?? 0) - gets).toBe(1);
    const applied = JSON.stringify(lab.dump());
    expect(await requestsOf(async () => {
      const again = await aciApply(client, { ops }, context('apply-aci'));
      expect(again.ops.map((o) => [o.outcome, o.readback])).toEqual([['unchanged', 'matched']]);
    })).toBe(2);
    expect(JSON.stringify(lab.dump())).toBe(applied);
  });
});

describe('read-back compared in memory', () => {
  const tn = 'uni/tn-k8s-prod-a';
  it('answers every check of a tenant with one GET and names the first mismatch', async () => {
    const checks: Readback[] = [
      { target: 'apic' as const, dn: `${tn}/ctx-vrf-1`, attributes: { name: 'vrf-1' }, absent: false },
      { target: 'apic' as const, dn: `${tn}/BD-k8s-nodes/rsctx`, attributes: { tnFvCtxName: 'vrf-1' }, absent: false },
      { target: 'apic' as const, dn: `${tn}/ap-nope`, absent: true },
    ];
    let verdict = { holds: false, detail: '' };
    expect(await requestsOf(async () => { verdict = await apicReadbackHolds(client, checks); })).toBe(1);
    expect(verdict.holds).toBe(true);
    const wrong = await apicReadbackHolds(client, [...checks, { target: 'apic' as const, dn: `${tn}/ctx-vrf-1`, attributes: { pcEnfPref: 'unenforced' }, absent: false }]);
    expect(wrong).toEqual({ holds: false, detail: `${tn}/ctx-vrf-1 pcEnfPref is "enforced", expected "unenforced"` });
    expect((await apicReadbackHolds(client, [{ target: 'apic', dn: `${tn}/ap-k8s`, absent: true }])).detail).toBe(`${tn}/ap-k8s still exists`);
    expect((await apicReadbackHolds(client, [{ target: 'apic', dn: `${tn}/ap-gone`, absent: false }])).detail).toBe(`${tn}/ap-gone does not exist`);
  });

  it('reads each top-level root once: a tenant and the fabric policies cost two GETs', async () => {
    const checks: Readback[] = [
      { target: 'apic' as const, dn: `${tn}/ctx-vrf-1`, absent: false },
      { target: 'apic' as const, dn: 'uni/fabric/bgpInstP-default/as', attributes: { asn: '65001' }, absent: false },
    ];
    expect(await requestsOf(async () => expect((await apicReadbackHolds(client, checks)).holds).toBe(true))).toBe(2);
  });

  it('reads back only the checked DNs, however many MOs of their classes the tenant holds (issue 20)', async () => {
    // 150 more VRFs in the tenant: a class-only read-back would return all 151 of them.
    const extra = Array.from({ length: 150 }, (_, i) => ({ fvCtx: { attributes: { name: `extra-${String(i).padStart(3, '0')}` } } }));
    await client.post(tn, { fvTenant: { attributes: { dn: tn }, children: extra } });
    const queries: Array<Record<string, unknown>> = [];
    let returned = 0;
    const watched = {
      ...client,
      getAll: async (path: string, query?: Record<string, string | number>, pageSize?: number) => {
        queries.push({ path, ...query });
        const mos = await client.getAll(path, query, pageSize);
        returned += mos.length;
        return mos;
      },
    };
    const checks: Readback[] = [
      { target: 'apic' as const, dn: `${tn}/ctx-vrf-1`, attributes: { name: 'vrf-1' }, absent: false },
      { target: 'apic' as const, dn: `${tn}/ctx-extra-007`, absent: false },
      { target: 'apic' as const, dn: `${tn}/ctx-gone`, absent: true },
    ];
    expect(await apicReadbackHolds(watched, checks)).toEqual({ holds: true, detail: '3 object(s) read back as planned' });
    expect(queries).toEqual([expect.objectContaining({
      path: `/api/mo/${tn}.json`, 'target-subtree-class': 'fvCtx',
      'query-target-filter': `or(eq(fvCtx.dn,"${tn}/ctx-extra-007"),eq(fvCtx.dn,"${tn}/ctx-gone"),eq(fvCtx.dn,"${tn}/ctx-vrf-1"))`,
    })]);
    expect(returned).toBe(2);
    // Many checks split into filters of bounded length, each check still answered.
    queries.length = 0;
    const many: Readback[] = extra.map((e) => ({ target: 'apic' as const, dn: `${tn}/ctx-${e.fvCtx.attributes.name}`, attributes: { name: e.fvCtx.attributes.name }, absent: false }));
    expect((await apicReadbackHolds(watched, many)).holds).toBe(true);
    expect(queries.length).toBeGreaterThan(1);
    for (const q of queries) expect(String(q['query-target-filter']).length).toBeLessThanOrEqual(readbackFilterChars + 200);
    expect(returned).toBe(2 + 150);
  });
});
