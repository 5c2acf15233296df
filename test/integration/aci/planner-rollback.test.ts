import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApicClient, type ApicClient } from '../../../agent/apic/client.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { aciApply } from '../../../agent/commands/aci-apply.js';
import { apicDevice } from '../../../agent/commands/devices.js';
import { runOps } from '../../../agent/commands/run-ops.js';
import { createAgentLog } from '../../../agent/log.js';
import { Redactor } from '../../../shared/runtime/redact.js';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { PROTOCOL } from '../../../shared/agent-protocol/index.js';
import { aciCollectQueries, parseAciFacts, planAci } from '../../../shared/aci/index.js';
import type { PlanOp } from '../../../shared/plan/index.js';
import { parseChangeSpecText, type ChangeSpec } from '../../../shared/spec/index.js';

// Issue 4 acceptance: the ACI planner's inverse ops restore the APIC dump byte for byte. Facts
// come over the wire with the agent's client and the shared collect queries; ops run through the
// agent's own runner (POST, then read-back), inverses last-op-first as a rollback sends them.

const onboarding = ((): ChangeSpec => {
  const parsed = parseChangeSpecText(readFileSync(new URL('../../../examples/onboard-prod-a.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`examples/onboard-prod-a.yaml no longer parses: ${JSON.stringify(parsed.issues)}`);
  return parsed.spec;
})();

const log = createAgentLog({ redactor: new Redactor(), level: 'error', agent: 'test', write: () => undefined });

let lab: ApicLab;
let client: ApicClient;

beforeEach(async () => {
  lab = await startApicLab({ backupDelayMs: 0 });
  client = createApicClient({ url: lab.url, username: lab.username, password: lab.password });
});

afterEach(async () => {
  await lab?.close();
});

const dump = async (): Promise<string> => (await fetch(`${lab.url}/_lab/dump`)).text();

async function setFaults(faults: string[]): Promise<void> {
  // replace: true also restarts the call counters, so @N counts from here.
  const res = await fetch(`${lab.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults, replace: true }) });
  expect(res.status).toBe(200);
}

async function plan(spec: ChangeSpec): Promise<PlanOp[]> {
  const mos: unknown[] = [];
  for (const q of aciCollectQueries(spec)) mos.push(...(await client.getAll(q.path, q.query)));
  return planAci(spec, parseAciFacts(mos, { tenant: spec.aci.tenant }));
}

function context(ops: PlanOp[]): CommandContext {
  const task = {
    protocol: PROTOCOL, changeId: 'chg-rollback-test', site: 'dc1', step: 'apply-aci' as const, deadlineSeconds: 60, heartbeatSeconds: 20,
    commands: [{ type: 'aci.apply' as const, fabric: 'dc1-aci', ops }],
  };
  return { signal: new AbortController().signal, deadline: new Date(Date.now() + 60_000), task, log, checkpoint: () => undefined };
}

async function apply(ops: PlanOp[]) {
  return aciApply(client, { ops }, context(ops));
}

/** Inverses of these ops, last op first, each read back the way the agent's rollback does. */
async function undo(ops: PlanOp[]) {
  const steps = [...ops].reverse().map((op) => ({ id: `undo ${op.id}`, requests: op.inverse, readback: op.inverseReadback }));
  return runOps(apicDevice(client), steps, context(ops), 'continue');
}

describe('ACI planner inverses against the APIC lab', () => {
  it('restores the dump byte for byte after a partial apply stopped by a failing POST', async () => {
    // Against the seeded fabric the onboarding is one atomic tenant POST, so nothing could be
    // half-applied. An earlier variant (other ASN and VLAN, no egress) already on the fabric makes
    // the same spec plan a removal POST and a creation POST: the second one is made to fail.
    const [peering, pool] = onboarding.changes;
    if (peering?.type !== 'bgpPeering' || pool === undefined) throw new Error('onboard-prod-a.yaml changed shape: expected bgpPeering first');
    const earlier: ChangeSpec = { ...onboarding, changes: [{ ...peering, clusterAsn: 64513, vlan: 301 }, pool] };
    expect((await apply(await plan(earlier))).ok).toBe(true);

    const ops = await plan(onboarding);
    expect(ops.map((o) => `${o.action} ${o.request.kind === 'apic' ? o.request.method : ''}`)).toEqual(['delete POST', 'create POST']);
    const before = await dump();
    await setFaults(['apic.post=error@2']);
    const result = await apply(ops);
    await setFaults([]);

    expect(result.ok).toBe(false);
    expect(result.ops.map((o) => o.outcome)).toEqual(['applied', 'failed']);
    expect(result.ops[1]?.error).toMatch(/Invalid Configuration|injected fault/);
    expect(await dump()).not.toBe(before);
    const applied = ops.filter((_, i) => result.ops[i]?.outcome === 'applied');
    expect((await undo(applied)).ops.map((o) => o.readback)).toEqual(['matched']);
    expect(await dump()).toBe(before);
    // And the fabric is back where the planner started: the same plan again.
    expect(await plan(onboarding)).toEqual(ops);
  });

  it('re-plans a fully applied onboarding to no ops, and all inverses restore the seeded dump', async () => {
    const before = await dump();
    const ops = await plan(onboarding);
    expect(ops.length).toBeGreaterThan(0);
    const result = await apply(ops);
    expect(result.ops.map((o) => [o.outcome, o.readback])).toEqual(ops.map(() => ['applied', 'matched']));
    expect(await dump()).not.toBe(before);
    expect(await plan(onboarding)).toEqual([]);

    const undone = await undo(ops);
    expect(undone.ok).toBe(true);
    expect(await dump()).toBe(before);
  });

  it('returns to the seeded dump when the applied spec is planned again with state: absent', async () => {
    const before = await dump();
    expect((await apply(await plan(onboarding))).ok).toBe(true);
    const applied = await dump();

    const absent = { ...onboarding, changes: onboarding.changes.map((c) => (c.type === 'ciliumConfig' ? c : { ...c, state: 'absent' as const })) };
    const removal = await plan(absent);
    expect(removal.map((o) => o.action)).toEqual(['delete']);
    expect((await apply(removal)).ok).toBe(true);
    expect(await dump()).toBe(before);
    expect(await plan(absent)).toEqual([]);
    // The removal's own inverse puts the onboarding back exactly.
    expect((await undo(removal)).ok).toBe(true);
    expect(await dump()).toBe(applied);
  });
});
