import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApicClient, type ApicClient } from '../../../agent/apic/client.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { aciApply } from '../../../agent/commands/aci-apply.js';
import { apicDevice } from '../../../agent/commands/devices.js';
import { runOps } from '../../../agent/commands/run-ops.js';
import { createAgentLog } from '../../../agent/log.js';
import { loadSecretValues, type SecretValues } from '../../../agent/secret-values.js';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { PROTOCOL } from '../../../shared/agent-protocol/index.js';
import { aciCollectQueries, parseAciFacts, planAci } from '../../../shared/aci/index.js';
import type { PlanOp } from '../../../shared/plan/index.js';
import { Redactor } from '../../../shared/runtime/redact.js';
import { parseChangeSpecText, type ChangeSpec } from '../../../shared/spec/index.js';

// bgpPeering.password on the APIC side: the spec and the plan name a secret reference, the agent
// fills bgpPeerP.password from its config just before the POST, the APIC keeps it write-only
// (never in a GET or the dump), re-planning plans nothing, a rotation to another reference is one
// modify whose inverse names the old reference, and the value is in no plan, result or log line.

const values = { 'bgp-a': 'Pa55-word-A.7f3', 'bgp-b': 'Pa55-word-B.91c' };
const peers = [101, 102].map((n) => `uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-${n}]-[vlan-300]/peerP-[192.168.2.0/24]`);

function withPassword(secretRef: string | undefined): ChangeSpec {
  const parsed = parseChangeSpecText(readFileSync(new URL('../../../examples/onboard-prod-a.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error('examples/onboard-prod-a.yaml no longer parses');
  const spec = parsed.spec;
  return { ...spec, changes: spec.changes.map((c) => (c.type === 'bgpPeering' ? { ...c, password: secretRef ? { secretRef } : undefined } : c)) };
}

const logLines: string[] = [];
// No value registered with the redactor: the test proves the value is never written, not masked.
const log = createAgentLog({ redactor: new Redactor(), level: 'debug', agent: 'test', write: (line) => logLines.push(line) });

let lab: ApicLab;
let client: ApicClient;
let secrets: SecretValues;

beforeAll(async () => {
  lab = await startApicLab({ backupDelayMs: 0 });
  client = createApicClient({ url: lab.url, username: lab.username, password: lab.password });
  secrets = await loadSecretValues({ secrets: { 'bgp-a': { value: values['bgp-a'] }, 'bgp-b': { env: 'BGP_B' } } }, { BGP_B: values['bgp-b'] }, () => undefined);
});

afterAll(async () => {
  await lab?.close();
});

const dump = async (): Promise<string> => (await fetch(`${lab.url}/_lab/dump`)).text();

async function plan(spec: ChangeSpec): Promise<PlanOp[]> {
  const mos: unknown[] = [];
  for (const q of aciCollectQueries(spec)) mos.push(...(await client.getAll(q.path, q.query)));
  return planAci(spec, parseAciFacts(mos, { tenant: spec.aci.tenant }));
}

function context(ops: PlanOp[]): CommandContext {
  const task = {
    protocol: PROTOCOL, changeId: 'chg-password', site: 'dc1', step: 'apply-aci' as const, deadlineSeconds: 60, heartbeatSeconds: 20,
    commands: [{ type: 'aci.apply' as const, fabric: 'dc1-aci', ops }],
  };
  return { signal: new AbortController().signal, deadline: new Date(Date.now() + 60_000), task, log, checkpoint: () => undefined };
}

const stored = () => peers.map((dn) => lab.mit.get(dn)?.writeOnly?.['password']);
const leaks = (text: string) => Object.values(values).filter((v) => text.includes(v) || text.includes(Buffer.from(v).toString('base64')));

describe('bgpPeering.password on the APIC', () => {
  it('plans references only, and the agent sets bgpPeerP.password from its secret on every anchor peer', async () => {
    const ops = await plan(withPassword('bgp-a'));
    expect(ops.map((op) => op.id)).toEqual(['aci.create.k8s-prod-a']);
    expect(ops[0]?.request).toMatchObject({ secrets: peers.map((dn) => ({ dn, attribute: 'password', secretRef: 'bgp-a' })) });
    expect(leaks(JSON.stringify(ops))).toEqual([]);
    const result = await aciApply(client, { ops }, context(ops), secrets);
    expect(result.ok, JSON.stringify(result.ops)).toBe(true);
    // The read-back compares what a GET can show (descr names the reference), not the password.
    expect(result.ops.map((o) => [o.outcome, o.readback])).toEqual([['applied', 'matched']]);
    expect(stored()).toEqual([values['bgp-a'], values['bgp-a']]);
    // Write-only: no GET answer (all properties, subtree) and no dump holds it; the peer records the reference.
    const answer = await (await fetch(`${lab.url}/api/mo/${peers[0]}.json?rsp-prop-include=all`, { headers: { cookie: await cookie() } })).text();
    expect(answer).not.toContain('"password"');
    expect(answer).toContain('changeflow BGP password from secret bgp-a');
    expect(leaks(answer + (await dump()) + JSON.stringify(result) + logLines.join('\n'))).toEqual([]);
  });

  it('plans nothing again: the reference, not the unreadable value, is compared', async () => {
    expect(await plan(withPassword('bgp-a'))).toEqual([]);
  });

  it('rotates to another reference in one modify whose inverse names the old one, and the inverse restores it exactly', async () => {
    const before = await dump();
    const ops = await plan(withPassword('bgp-b'));
    expect(ops.map((op) => op.action)).toEqual(['modify']);
    expect(ops[0]?.request).toMatchObject({ secrets: peers.map((dn) => ({ dn, secretRef: 'bgp-b' })) });
    expect(ops[0]?.inverse[0]).toMatchObject({ secrets: peers.map((dn) => ({ dn, secretRef: 'bgp-a' })) });
    const rotated = await aciApply(client, { ops }, context(ops), secrets);
    expect(rotated.ops.map((o) => [o.outcome, o.readback])).toEqual([['applied', 'matched']]);
    expect(stored()).toEqual([values['bgp-b'], values['bgp-b']]);
    const undo = await runOps(apicDevice(client, secrets), ops.map((op) => ({ id: `undo ${op.id}`, requests: op.inverse, readback: op.inverseReadback })), context(ops), 'continue');
    expect(undo.ok).toBe(true);
    expect(stored()).toEqual([values['bgp-a'], values['bgp-a']]);
    expect(await dump()).toBe(before);
  });

  it('clears the password when the spec drops it, and refuses to send a reference the agent does not hold', async () => {
    const unknown = await plan(withPassword('bgp-missing'));
    const refused = await aciApply(client, { ops: unknown }, context(unknown), secrets);
    expect(refused.ok).toBe(false);
    expect(refused.ops[0]?.error).toMatch(/secret reference bgp-missing is not in this agent's config \(secrets: bgp-a, bgp-b\)/);
    expect(stored()).toEqual([values['bgp-a'], values['bgp-a']]);
    const ops = await plan(withPassword(undefined));
    expect(ops.map((op) => op.action)).toEqual(['modify']);
    expect((await aciApply(client, { ops }, context(ops), secrets)).ok).toBe(true);
    expect(stored()).toEqual([undefined, undefined]);
    expect(await plan(withPassword(undefined))).toEqual([]);
    expect(leaks(logLines.join('\n'))).toEqual([]);
  });
});

async function cookie(): Promise<string> {
  const res = await fetch(`${lab.url}/api/aaaLogin.json`, { method: 'POST', body: JSON.stringify({ aaaUser: { attributes: { name: lab.username, pwd: lab.password } } }) });
  await res.text();
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}
