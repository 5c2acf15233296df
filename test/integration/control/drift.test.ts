import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowLab, type ServiceNowLab } from '../../../local/lab/servicenow/server.js';
import type { AgentTask } from '../../../shared/agent-protocol/index.js';
import { healthyAnswer } from '../../support/scripted-answers.js';
import type { ScriptedAnswer } from '../../support/workflow-harness.js';
import { startDriftSchedule, parseDriftEvery } from '../../../local/dev/drift-schedule.js';
import { eventually } from '../../support/eventually.js';
import { ManualTimers } from '../../support/manual-timers.js';
import { cli, startControlStack, type ControlStack } from './control-stack.js';

// Drift detection (docs/architecture.md §3.7) through the real `changeflow drift` binary: a
// SUCCEEDED change really applied to the lab APIC and Kubernetes (the agent's own apply commands),
// then drift checks — plan-only changes of the desired state, facts gathered live from the labs by
// the agent's collectors. None while both sides read as the change left them; after a hand edit on
// each side, both are reported (APIC DN/attribute, Kubernetes object/field path, expected and
// found) with the ChangeSpec that restores them, drift.detected per target, a work note on the
// change's ServiceNow ticket — and nothing is changed.

const pool = readFileSync('examples/add-pool-blue.yaml', 'utf8').replace('mode: plan-only', 'mode: apply');
const subnetDn = 'uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.11.0/25]';
const poolRef = 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-blue';

let stack: ControlStack;
let snow: ServiceNowLab;
let agent: { stop(): Promise<void> };
let ticket: { system: 'servicenow'; key: string; number: string };
let changeId: string;

/** Applies for real (so the labs hold what the change wants), answers every other step as a healthy agent. */
async function answer(task: AgentTask): Promise<ScriptedAnswer> {
  if (task.commands.some((c) => c.type === 'aci.apply' || c.type === 'cluster.apply')) return { kind: 'success', results: await stack.labs.apply(task) };
  return healthyAnswer(stack.labs, task);
}

const dumps = () => ({ apic: stack.labs.apic.dump(), kubernetes: stack.labs.kubernetes.dump() });

/** An operator's hand edit on the APIC, behind changeflow's back. */
async function apicPost(dn: string, body: unknown): Promise<void> {
  const { url, username, password } = stack.labs.apic;
  const login = await fetch(`${url}/api/aaaLogin.json`, { method: 'POST', body: JSON.stringify({ aaaUser: { attributes: { name: username, pwd: password } } }) });
  const token = ((await login.json()) as { imdata: Array<{ aaaLogin: { attributes: { token: string } } }> }).imdata[0]?.aaaLogin.attributes.token;
  const res = await fetch(`${url}/api/mo/${dn}.json`, { method: 'POST', headers: { cookie: `APIC-cookie=${token ?? ''}` }, body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(200);
}

/** The same on the cluster: a JSON merge patch, as `kubectl patch --type merge` sends. */
async function kubePatch(path: string, patch: unknown): Promise<void> {
  const { httpUrl, token } = stack.labs.kubernetes;
  const res = await fetch(`${httpUrl}${path}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(patch) });
  expect(res.status, await res.text()).toBe(200);
}

async function driftEvents(): Promise<string[]> {
  const out: string[] = [];
  for await (const event of stack.h.store.exportEvents({})) if (event.type.startsWith('drift.')) out.push(`${event.changeId.split('-')[0]} ${event.type} ${(event.detail as { target: string }).target}`);
  return out;
}

beforeAll(async () => {
  snow = await startServiceNowLab();
  stack = await startControlStack({ servicenow: { url: snow.url, username: snow.username, password: snow.password }, changeControl: { drift: { ticketNote: true } } });
  agent = stack.h.runAgent(answer);
  const row = snow.records.create({ state: '-1', approval: 'approved', short_description: 'Add LB pool pool-blue' });
  ticket = { system: 'servicenow', key: row.sys_id!, number: row.number! };
  changeId = `ctl-drift-${Date.now()}`;
  const arn = await stack.h.start(changeId, { source: 'servicenow', requestedBy: 'control-test', ticket, spec: parseYaml(pool) as unknown });
  expect(await stack.h.waitForEnd(arn, 120_000)).toMatchObject({ status: 'SUCCEEDED' });
}, 150_000);
afterAll(async () => {
  await agent?.stop();
  await stack?.close();
  await snow?.close();
});

describe('changeflow drift', () => {
  it('reports no drift while both sides read as the change in force left them (exit 0)', { timeout: 60_000 }, async () => {
    const clean = await cli(stack, ['drift', '--json']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toContain('against 1 change(s) in force');
    // No drift, no note: the ticket hears only of what moved.
    expect(snow.records.journalFor(ticket.key, 'work_notes').filter((j) => j.value.includes('DRIFT'))).toEqual([]);
    expect(JSON.parse(clean.stdout)).toEqual({ targets: [{ target: 'fabric#dc1-aci', drift: [] }, { target: 'cluster#prod-a', drift: [] }] });
    expect(await driftEvents()).toEqual(['drift drift.clear fabric#dc1-aci', 'drift drift.clear cluster#prod-a']);
  });

  it('reports a hand-edited APIC attribute and Kubernetes field with expected and found, prints the restoring ChangeSpec, notes the ticket, changes nothing (exit 1)', { timeout: 90_000 }, async () => {
    await apicPost(subnetDn, { l3extSubnet: { attributes: { dn: subnetDn, scope: 'export-rtctrl' } } });
    await kubePatch('/apis/cilium.io/v2/ciliumloadbalancerippools/pool-blue', { spec: { blocks: [{ cidr: '10.0.99.0/25' }] } });
    const before = dumps();
    const drifted = await cli(stack, ['drift', '--json']);
    expect(drifted.code, drifted.stderr).toBe(1);
    expect(JSON.parse(drifted.stdout)).toEqual({
      targets: [
        { target: 'fabric#dc1-aci', drift: [{ domain: 'aci', ref: subnetDn, path: 'scope', expected: 'import-security', found: 'export-rtctrl' }] },
        { target: 'cluster#prod-a', drift: [{ domain: 'cluster', ref: poolRef, path: 'spec.blocks', expected: '[{"cidr":"10.0.11.0/25"}]', found: '[{"cidr":"10.0.99.0/25"}]' }] },
      ],
    });
    expect((await driftEvents()).slice(2)).toEqual(['drift drift.detected fabric#dc1-aci', 'drift drift.detected cluster#prod-a']);
    // The change's owners hear of it where they work: one work note on its ServiceNow ticket,
    // recorded in the drift check's own chain (the change's chain is closed and stays so).
    const notes = snow.records.journalFor(ticket.key, 'work_notes').map((j) => j.value).filter((v) => v.includes('DRIFT'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`[changeflow] DRIFT from change ${changeId}: 2 objects differ on fabric#dc1-aci and cluster#prod-a; nothing was changed.`);
    expect(notes[0]).toContain(`~ ${subnetDn} scope: expected import-security, found export-rtctrl`);
    expect(notes[0]).toContain('changeflow drift --target fabric:dc1-aci');
    const written: Array<{ changeId: string; detail: unknown }> = [];
    for await (const event of stack.h.store.exportEvents({})) if (event.type === 'ticket.note.written' && (event.detail as { phase?: string }).phase === 'drift') written.push(event);
    expect(written).toHaveLength(1);
    expect(written[0]?.changeId).toMatch(/^drift-/);
    expect(written[0]?.detail).toMatchObject({ phase: 'drift', system: 'servicenow', on: changeId, ticket: ticket.number });
    // The text report of one side, with the spec that would restore the desired state.
    const text = await cli(stack, ['drift', '--target', 'cluster:prod-a']);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain(`cluster#prod-a: 1 difference from the changes in force\n  ~ ${poolRef} spec.blocks: expected [{"cidr":"10.0.11.0/25"}], found [{"cidr":"10.0.99.0/25"}]\n`);
    expect(text.stdout).toMatch(/Nothing was changed\. This ChangeSpec restores the desired state[\s\S]*kind: ChangeSpec[\s\S]*name: pool-blue[\s\S]*- 10\.0\.11\.0\/25[\s\S]*mode: apply/);
    // A drift check reads and plans only: both labs are as the hand edits left them.
    expect(dumps()).toEqual(before);
  });

  it('dev --drift-every: the schedule starts the same checks over POST /drift each interval, one round at a time, and stops', { timeout: 60_000 }, async () => {
    const clock = new ManualTimers();
    const lines: string[] = [];
    const before = (await driftEvents()).length;
    const schedule = startDriftSchedule({ api: stack.api.url, everySeconds: 30, log: (line) => lines.push(line), clock });
    await clock.armed(1);
    expect(schedule.rounds).toBe(0);
    clock.advance(29_999);
    expect(schedule.rounds).toBe(0);
    clock.advance(1);
    await eventually(() => lines.length === 1, () => `the schedule to log its round; logged ${JSON.stringify(lines)}`);
    expect(lines[0]).toMatch(/^drift schedule: started drift-\S+ against 1 change\(s\) in force; see changeflow audit show ID$/);
    const started = /started (drift-\S+) against/.exec(lines[0] ?? '')?.[1] ?? '';
    await eventually(async () => (await driftEvents()).length >= before + 2, 'the scheduled check to record a drift event per target', { within: 30_000 });
    // The scheduled check is an ordinary plan-only drift check, recorded under the schedule's name.
    const record = await stack.h.store.changes.require(started);
    expect(record.requestedBy).toBe('changeflow dev --drift-every 30');
    // The next round is armed only after this one answered.
    await clock.armed(1);
    await schedule.stop();
    clock.advance(60_000);
    expect(schedule.rounds).toBe(1);
    expect(parseDriftEvery('5')).toEqual({ ok: false, message: '--drift-every: expected whole seconds ≥ 10, found "5"' });
    expect(parseDriftEvery('1h')).toMatchObject({ ok: false });
    expect(parseDriftEvery('3600')).toEqual({ ok: true, seconds: 3600 });
  });

  it('refuses a target it cannot read (exit 3) and says when nothing is in force there', { timeout: 30_000 }, async () => {
    expect((await cli(stack, ['drift', '--target', 'nowhere'])).code).toBe(3);
    const none = await cli(stack, ['drift', '--target', 'cluster:prod-b', '--json']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).toContain('0 SUCCEEDED change(s) in force on cluster:prod-b: nothing to compare');
    expect(JSON.parse(none.stdout)).toEqual({ targets: [] });
  });
});
