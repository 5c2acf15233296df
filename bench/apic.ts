import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as z from '../shared/zod.js';
import { createApicClient } from '../agent/apic/client.js';
import type { SignatureAuth } from '../agent/apic/signature.js';
import { UserCertificateUnavailable } from '../local/lab/apic/user-certificate.js';
import { installUserCertificate } from '../local/dev/agent-apic-certificate.js';
import type { CommandContext } from '../agent/command-context.js';
import { aciApply } from '../agent/commands/aci-apply.js';
import { aciCollect } from '../agent/commands/aci-collect.js';
import { aciSnapshot } from '../agent/commands/aci-snapshot.js';
import { createAgentLog } from '../agent/log.js';
import { Redactor } from '../shared/runtime/redact.js';
import { repoRoot } from '../local/dev/dev-stack.js';
import { startApicLab, type ApicLab } from '../local/lab/apic/lab.js';
import { parseAciFacts, planAci } from '../shared/aci/index.js';
import { PROTOCOL } from '../shared/agent-protocol/index.js';
import { parseChangeSpecText, type ChangeSpec } from '../shared/spec/index.js';
import { systemClock } from '../shared/runtime/clock.js';
import { hasAnsible, runPlaybook } from '../test/integration/apic/ansible-run.js';
import { ratio, seconds, spread } from './figures.js';

// The onboarding example on a fresh APIC lab, applied two ways: changeflow's agent path (collect
// the facts with the shared queries, plan with planAci, apply with the agent's client, every op
// read back) and the cisco.aci Ansible play that builds the same objects
// (test/fixtures/apic/ansible/design.yml). Requests are counted by the lab (/_lab/stats), which
// serves both the same way. changeflow's count is the whole ACI side of the change (login — none with
// signature auth, as the agent does with a `certificate` in its config — facts,
// snapshot, apply, read-back, one verify poll); Ansible's is the apply alone (no snapshot: the
// play's `snapshot` tag is skipped).

export interface ApicBenchOptions {
  readonly latencies: readonly number[];
  readonly runs: number;
  readonly log?: (line: string) => void;
}

interface Outcome {
  readonly ms: number;
  readonly requests: number;
  readonly byMethod: Record<string, number>;
  readonly objects: number;
  readonly detail?: string;
  /** Requests per phase of changeflow's run (login, facts, …). */
  readonly phases?: Readonly<Record<string, number>>;
}

export interface ApicBenchResult {
  readonly latencyMs: number;
  readonly changeflow: Outcome;
  readonly ansible?: Outcome;
}

export function parseApicBenchArgs(argv: readonly string[]): ApicBenchOptions {
  const { values } = parseArgs({ args: [...argv], options: { 'latency-ms': { type: 'string' }, runs: { type: 'string' } }, allowPositionals: true, strict: false });
  const latencies = typeof values['latency-ms'] === 'string' ? values['latency-ms'].split(',').map(Number) : [0, 50];
  return { latencies, runs: typeof values.runs === 'string' ? Number(values.runs) : 3 };
}

const LabStats = z.object({ requests: z.object({ total: z.number(), byMethod: z.record(z.string(), z.number()) }) });

export async function runApicBench(options: ApicBenchOptions): Promise<ApicBenchResult[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const parsed = parseChangeSpecText(await readFile(join(repoRoot, 'examples/onboard-prod-a.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error(`expected examples/onboard-prod-a.yaml to be a valid ChangeSpec, found ${JSON.stringify(parsed.issues)}`);
  const spec = parsed.spec;
  log(`apic bench: examples/onboard-prod-a.yaml (ACI part) on a fresh APIC lab per run, ${options.runs} run(s) each — changeflow (login, facts, snapshot, apply + read-back, one verify poll) vs ansible-playbook design.yml --skip-tags snapshot`);
  if (!hasAnsible) log('  ansible-playbook is not installed: only the changeflow side runs');
  const results: ApicBenchResult[] = [];
  for (const latencyMs of options.latencies) {
    const cf: Outcome[] = [];
    const an: Outcome[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      cf.push(await onFreshLab(latencyMs, (lab, auth) => changeflowOnboards(lab, spec, auth), agentAuth));
      if (hasAnsible) an.push(await onFreshLab(latencyMs, ansibleOnboards));
    }
    const changeflow = median(cf);
    const ansible = an.length > 0 ? median(an) : undefined;
    log(`APIC latency ${latencyMs} ms per request (median of ${options.runs}):`);
    log(`  changeflow  ${describe(changeflow)}`);
    log(goalLines(changeflow));
    if (ansible) {
      log(`  ansible     ${describe(ansible)}`);
      log(`  ansible / changeflow: requests ${ratio(ansible.requests, changeflow.requests)}, wall time ${ratio(ansible.ms, changeflow.ms)}`);
    }
    results.push({ latencyMs, changeflow, ansible });
  }
  return results;
}

/** Issue 14's goals, with the counts it was filed on (57–58 requests for the whole change). */
const goals = { wholeChange: 10, wholeChangeBefore: 57, applyReadback: 3 };

function goalLines(o: Outcome): string {
  const apply = o.phases?.['apply + read-back'] ?? NaN;
  const met = (n: number, goal: number) => (n <= goal ? 'met' : 'NOT MET');
  return `  goals: whole change ${o.requests} requests — goal ≤ ${goals.wholeChange}, before ${goals.wholeChangeBefore} → ${met(o.requests, goals.wholeChange)}; apply + read-back ${apply} — goal ≤ ${goals.applyReadback} → ${met(apply, goals.applyReadback)}`;
}

async function onFreshLab<P>(
  latencyMs: number,
  run: (lab: ApicLab, prepared: P) => Promise<{ detail: string; phases?: Record<string, number> } | string | undefined>,
  prepare?: (lab: ApicLab) => Promise<P>,
): Promise<Outcome> {
  const lab = await startApicLab({ latencyMs, backupDelayMs: 0 });
  try {
    const prepared = (await prepare?.(lab)) as P;
    const before = lab.dump();
    await post(`${lab.url}/_lab/stats/reset`);
    const t0 = performance.now();
    const answer = await run(lab, prepared);
    const ms = performance.now() - t0;
    const detail = typeof answer === 'object' ? answer.detail : answer;
    const phases = typeof answer === 'object' ? answer.phases : undefined;
    const stats = LabStats.parse(await (await fetch(`${lab.url}/_lab/stats`)).json());
    const after = lab.dump();
    const objects = Object.keys(after).filter((dn) => JSON.stringify(after[dn]) !== JSON.stringify(before[dn])).length;
    return { ms, requests: stats.requests.total, byMethod: stats.requests.byMethod, objects, detail, ...(phases ? { phases } : {}) };
  } finally {
    await lab.close();
  }
}

/**
 * The agent's certificate, installed as an operator would (aci_aaa_user_certificate) before the
 * counting starts; without openssl the agent logs in with its password instead.
 */
async function agentAuth(lab: ApicLab): Promise<{ signature?: SignatureAuth }> {
  try {
    return { signature: await installUserCertificate(lab, 'changeflow') };
  } catch (err) {
    if (err instanceof UserCertificateUnavailable) return {};
    throw err;
  }
}

/**
 * The ACI side of the onboarding change as the agent runs it, phase by phase: login, gather
 * facts (aci.collect), snapshot (aci.snapshot), apply with read-back (aci.apply), one verify poll
 * of the BGP sessions (what verify sends per poll). Requests are counted by the agent's client
 * between phases; the lab's own count covers the same requests.
 */
async function changeflowOnboards(lab: ApicLab, spec: ChangeSpec, auth: { signature?: SignatureAuth }): Promise<{ detail: string; phases: Record<string, number> }> {
  const client = createApicClient({ url: lab.url, username: lab.username, password: lab.password, ...auth });
  const log = createAgentLog({ redactor: new Redactor(), level: 'error', agent: 'bench', write: () => undefined });
  const context = (step: 'gather-facts' | 'snapshot' | 'apply-aci', commands: CommandContext['task']['commands']): CommandContext => ({
    signal: new AbortController().signal, deadline: new Date(Date.now() + 300_000), log, checkpoint: () => undefined,
    task: { protocol: PROTOCOL, changeId: 'bench-apic', site: 'dc1', step, deadlineSeconds: 300, heartbeatSeconds: 60, commands },
  });
  const phases: Array<[string, number]> = [];
  let counted = 0;
  const phase = (name: string) => {
    const now = client.stats().requests;
    phases.push([name, now - counted]);
    counted = now;
  };
  // Signature auth sends no login at all; token auth logs in once.
  if (!auth.signature) await client.login();
  phase(auth.signature ? 'login (signature auth: none)' : 'login');
  const collectCommand = { type: 'aci.collect' as const, fabric: 'dc1-aci', spec };
  const scope = { tenants: [spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' };
  const collected = await aciCollect(client, collectCommand, scope, context('gather-facts', [collectCommand]));
  phase('facts');
  const snapshotCommand = { type: 'aci.snapshot' as const, fabric: 'dc1-aci', policy: 'changeflow', waitSeconds: 30 };
  await aciSnapshot(client, snapshotCommand, context('snapshot', [snapshotCommand]), { now: () => Date.now(), sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 5), signal) });
  phase('snapshot');
  const ops = planAci(spec, parseAciFacts(collected.responses.flatMap((r) => r.imdata), { tenant: spec.aci.tenant }));
  if (ops.length === 0) throw new Error('expected a fresh lab to need onboarding ops, found an empty plan');
  const applyCommand = { type: 'aci.apply' as const, fabric: 'dc1-aci', ops };
  const result = await aciApply(client, { ops }, context('apply-aci', [applyCommand]));
  if (!result.ok) throw new Error(`expected changeflow to onboard the lab APIC, found failed ops: ${JSON.stringify(result.ops.filter((o) => o.outcome === 'failed'))}`);
  phase('apply + read-back');
  await client.cls('bgpPeerEntry');
  phase('verify (one poll)');
  const writes = result.ops.reduce((n, o) => n + o.requests, 0);
  return { detail: `${phases.map(([name, n]) => `${name} ${n}`).join(', ')} — apply: ${writes} write(s) for ${ops.length} op(s)`, phases: Object.fromEntries(phases) };
}

// The same objects changeflow builds: the floating-SVI onboarding plus the rest of the design
// (best path, BGP timers, BFD policy, next-hop propagate), test/fixtures/apic/ansible/design.yml.
const playbook = 'design.yml';

async function ansibleOnboards(lab: ApicLab): Promise<string> {
  const run = await runPlaybook(lab, playbook, ['--skip-tags', 'snapshot']);
  const stats = run.stats['localhost'];
  if (!stats || stats.failures > 0 || stats.unreachable > 0) throw new Error(`expected the onboarding play to succeed, found ${JSON.stringify(stats)}`);
  const items = run.plays.flatMap((p) => p.tasks).reduce((n, t) => n + Math.max(1, t.hosts['localhost']?.results?.length ?? 0), 0);
  // cisco.aci logs in once per module invocation (each task item is a fresh Python process).
  return `${items} module invocations (task items), ${stats.changed} changed; each logs in (POST aaaLogin), GETs the object and POSTs it when it differs`;
}

async function post(url: string): Promise<void> {
  const res = await fetch(url, { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`expected 200 from POST ${url}, found ${res.status}`);
}

function median(outcomes: readonly Outcome[]): Outcome {
  const byTime = [...outcomes].sort((a, b) => a.ms - b.ms);
  const middle = byTime[Math.floor((byTime.length - 1) / 2)] as Outcome;
  return { ...middle, ms: spread(outcomes.map((o) => o.ms)).median };
}

function describe(o: Outcome): string {
  const methods = Object.entries(o.byMethod).sort().map(([m, n]) => `${m} ${n}`).join(', ');
  return `${String(o.requests).padStart(4)} requests (${methods}), ${seconds(o.ms).padStart(8)} wall, ${o.objects} MOs created or changed${o.detail ? `\n              ${o.detail}` : ''}`;
}
