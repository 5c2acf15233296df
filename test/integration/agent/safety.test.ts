import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../../agent/start-agent.js';
import { readFileSync } from 'node:fs';
import { AgentResult } from '../../../shared/agent-protocol/index.js';
import { parseChangeSpecText, type ChangeSpec } from '../../../shared/spec/index.js';
import { agentTask, cluster, fabric, labDumps, startAgentBench, type AgentBench, type Ended } from './harness.js';

// Issue 8 §2 through the real worker: only protocol commands run, targets must be in the agent's
// config, secrets never leave the agent, each command has its own deadline, device errors come
// back as named failures with a cause an operator can act on. Tests share one lab and one agent
// and run one after the other (some set lab faults).

const spec: ChangeSpec = (() => {
  const parsed = parseChangeSpecText(readFileSync('examples/onboard-prod-a.yaml', 'utf8'));
  if (!parsed.ok) throw new Error('example spec does not parse');
  return parsed.spec;
})();

let bench: AgentBench;
let agent: RunningAgent;
const logLines: string[] = [];
const ends: Ended[] = [];

beforeAll(async () => {
  bench = await startAgentBench();
  // The password comes from the environment, as docs/agent.example.yaml shows.
  agent = await startAgent(bench.config({ password: { env: 'BENCH_APIC_PASSWORD' } }), {
    env: { BENCH_APIC_PASSWORD: bench.lab.apic.password },
    write: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await agent?.stop();
  await bench?.close();
});

async function run(input: unknown): Promise<Ended> {
  const end = await bench.waitForEnd(await bench.start(input), 30_000);
  ends.push(end);
  return end;
}

async function setFaults(url: string, faults: string[]): Promise<void> {
  const res = await fetch(`${url}/_lab/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults }) });
  expect(res.status).toBe(200);
}

const apicPosts = async (): Promise<number> => ((await (await fetch(`${bench.lab.apic.url}/_lab/stats`)).json()) as { requests: { byMethod: Record<string, number> } }).requests.byMethod['POST'] ?? 0;

describe('the agent accepts only the commands of its protocol', () => {
  it('refuses a shell command with UnknownCommand naming the bad field, and touches nothing', async () => {
    const before = await labDumps(bench.lab);
    const end = await run({ ...agentTask('apply-aci', []), commands: [{ type: 'shell.exec', cmd: 'rm -rf /' }] });
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('UnknownCommand');
    expect(end.cause).toMatch(/^not a changeflow\.agent\/v1 task: commands\[0\]\.type: .*'aci\.collect'.*nothing was run/);
    expect(await labDumps(bench.lab)).toEqual(before);
  });

  it('refuses credentials or endpoints smuggled into a known command (strict fields)', async () => {
    const end = await run(agentTask('gather-facts', [{ type: 'aci.collect', fabric, spec, url: 'https://evil.example', password: 'hunter22' } as never]));
    expect(end.error).toBe('UnknownCommand');
    expect(end.cause).toContain('commands[0].url');
    expect(end.cause).toMatch(/unknown fields "url", "password": the changeflow\.agent\/v1 protocol has no such field/);
    expect(end.cause).not.toContain('hunter22');
  });

  it('refuses input that is not a changeflow task at all', async () => {
    const end = await run({ hello: 'world' });
    expect(end.error).toBe('UnknownCommand');
    expect(end.cause).toMatch(/protocol/);
  });

  it('refuses a fabric or a cluster that is not in its config with TargetNotConfigured', async () => {
    const [f, c] = await Promise.all([
      run(agentTask('gather-facts', [{ type: 'aci.collect', fabric: 'dc2-aci', spec }])),
      run(agentTask('gather-facts', [{ type: 'cluster.collect', cluster: 'prod-b', spec, ciliumStatus: false }])),
    ]);
    expect(f).toMatchObject({ status: 'FAILED', error: 'TargetNotConfigured', cause: 'fabric dc2-aci is not in this agent\'s config (known: dc1-aci)' });
    expect(c).toMatchObject({ status: 'FAILED', error: 'TargetNotConfigured', cause: 'cluster prod-b is not in this agent\'s config (known: prod-a)' });
  });
});

describe('secrets never leave the agent', () => {
  it('masks the APIC password and the kube token wherever a task or a device echoes them', async () => {
    const { password } = bench.lab.apic;
    const { token } = bench.lab.kubernetes;
    // A task naming a secret as its tenant is refused by the scope check, whose cause names the tenant: masked.
    const echoed = await run(agentTask('gather-facts', [{ type: 'aci.collect', fabric, spec: { ...spec, aci: { ...spec.aci, tenant: password } } }]));
    expect(echoed).toMatchObject({ status: 'FAILED', error: 'TaskOutsideScope' });
    expect(echoed.cause).toContain('the spec\'s tenant *** is not one this agent may touch');
    expect(echoed.cause).not.toContain(password);

    // The refusal of an unknown cluster names it: the token as a cluster name is masked too.
    const failed = await run(agentTask('gather-facts', [{ type: 'cluster.collect', cluster: token.slice(0, 63), spec, ciliumStatus: false }]));
    expect(failed.status).toBe('FAILED');
    expect(failed.cause).toContain('***');
  });

  it('wrote no secret in any result, failure cause or log line of this file', () => {
    const text = JSON.stringify(ends) + logLines.join('\n');
    expect(logLines.some((l) => l.includes('"task failed"') || l.includes('"task refused"'))).toBe(true);
    expect(text).not.toContain(bench.lab.apic.password);
    expect(text).not.toContain(bench.lab.kubernetes.token);
  });
});

describe('deadlines, heartbeats and device errors', () => {
  it('keeps a task alive past HeartbeatSeconds by heartbeating', async () => {
    // Verify on an unconfigured lab waits for BGP until 5 s before its deadline: ~4 s, HeartbeatSeconds 2.
    const started = Date.now();
    const end = await run(agentTask('verify', [{ type: 'verify', fabric, cluster, spec }], { deadlineSeconds: 9, heartbeatSeconds: 2 }));
    expect(Date.now() - started).toBeGreaterThan(4_000);
    expect(end.status).toBe('SUCCEEDED');
    const result = AgentResult.parse(end.output);
    expect(result.results[0]).toMatchObject({ type: 'verify', ok: false });
  });

  it('fails a command that outlives its own deadline with CommandDeadlineExceeded', async () => {
    await setFaults(bench.lab.apic.url, ['apic.get=slow']);
    try {
      // Slowed, the collection would still succeed: only the 2 s deadline fails it.
      const end = await run(agentTask('gather-facts', [{ type: 'aci.collect', fabric, spec }], { deadlineSeconds: 2 }));
      expect(end).toMatchObject({ status: 'FAILED', error: 'CommandDeadlineExceeded', cause: 'gather-facts did not finish within its 2 s deadline' });
    } finally {
      await setFaults(bench.lab.apic.url, []);
    }
  });

  it('checks every APIC response: a refused POST fails its op, skips the rest and writes nothing', async () => {
    await setFaults(bench.lab.apic.url, ['apic.post=error']);
    try {
      const before = await labDumps(bench.lab);
      const postsBefore = await apicPosts();
      const op = (name: string) => ({
        id: `aci.create.${name}`,
        target: 'apic' as const,
        action: 'create' as const,
        summary: `application profile ${name}`,
        request: { kind: 'apic' as const, method: 'POST' as const, dn: `uni/tn-k8s-prod-a/ap-${name}`, body: { fvAp: { attributes: { dn: `uni/tn-k8s-prod-a/ap-${name}`, name } } } },
        inverse: [{ kind: 'apic' as const, method: 'DELETE' as const, dn: `uni/tn-k8s-prod-a/ap-${name}` }],
        readback: [{ target: 'apic' as const, dn: `uni/tn-k8s-prod-a/ap-${name}`, attributes: { name }, absent: false }],
        inverseReadback: [],
        diff: [],
      });
      const end = await run(agentTask('apply-aci', [{ type: 'aci.apply', fabric, ops: [op('t1'), op('t2')] }]));
      expect(end.status).toBe('SUCCEEDED');
      const [applied] = AgentResult.parse(end.output).results;
      if (applied?.type !== 'aci.apply') throw new Error('expected aci.apply');
      expect(applied.ok).toBe(false);
      expect(applied.ops.map((o) => [o.opId, o.outcome, o.requests])).toEqual([['aci.create.t1', 'failed', 1], ['aci.create.t2', 'skipped', 0]]);
      expect(applied.ops[0]?.error).toMatch(/Invalid Configuration|injected fault/);
      expect(await apicPosts()).toBe(postsBefore + 1);
      expect(await labDumps(bench.lab)).toEqual(before);
    } finally {
      await setFaults(bench.lab.apic.url, []);
    }
  });

  it('reports an unreachable API server as ClusterUnavailable with a cause naming what it tried', async () => {
    await setFaults(bench.lab.kubernetes.httpUrl, ['kubernetes.any=down']);
    try {
      const end = await run(agentTask('gather-facts', [{ type: 'cluster.collect', cluster, spec, ciliumStatus: false }]));
      expect(end).toMatchObject({ status: 'FAILED', error: 'ClusterUnavailable' });
      expect(end.cause).toMatch(/Node/);
    } finally {
      await setFaults(bench.lab.kubernetes.httpUrl, []);
    }
  });
});
