import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { AgentConfig } from '../../../agent/config.js';
import { labCiliumExecutable } from '../../../local/lab/cilium-executable.js';
import { startLab, type Lab } from '../../../local/lab/index.js';
import { loadStackMachines, startLocalSfn, synthStack, type LocalSfn } from '../../../local/sfn/index.js';
import { createPrivateKey, sign } from 'node:crypto';
import { AgentTask, isSignedStep, payloadOfTask, PROTOCOL, type AgentCommand, type AgentStep } from '../../../shared/agent-protocol/index.js';
import { canonicalHash } from '../../../shared/canonical-json.js';
import { generatePlanKeyPair, signingBytes } from '../../../shared/signing/index.js';
import { buildAgentActivityStack } from '../../fixtures/agent/activity-stack.js';

// The bastion agent's test bench: the lab (APIC, Kubernetes + Cilium, the world joining them)
// and a local Step Functions runtime serving one Activity task whose input is the execution
// input, so a test hands the real agent any task it likes through StartExecution.

export const site = 'dc1';
export const fabric = 'dc1-aci';
export const cluster = 'prod-a';
export const repoRoot = resolve(import.meta.dirname, '../../..');
/** The BGP password the bench's agent holds under the reference `bench-bgp`. */
export const benchBgpSecret = { ref: 'bench-bgp', value: 'bench-Bgp-pw.4d1e' } as const;

/** The bench's plan-signing key: the agent config trusts its public half, agentTask signs with it. */
export const benchPlanKey = generatePlanKeyPair();

export interface AgentBench {
  readonly lab: Lab;
  readonly sfn: LocalSfn;
  readonly client: SFNClient;
  readonly dir: string;
  readonly machineArn: string;
  readonly activityArn: string;
  /** The agent config for this bench (lab APIC, lab kubeconfig, lab cilium), as an object. */
  config(overrides?: { agent?: Partial<AgentConfig['agent']>; password?: AgentConfig['fabrics'][string]['password'] }): AgentConfig;
  /** Writes config() as the YAML an operator would write; returns its path. */
  writeConfig(name: string, config: AgentConfig): Promise<string>;
  /** Starts an execution whose Activity task input is `input`. */
  start(input: unknown): Promise<string>;
  waitForEnd(executionArn: string, timeoutMs?: number): Promise<Ended>;
  history(executionArn: string): Promise<HistoryEvent[]>;
  close(): Promise<void>;
}

export interface Ended {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

export async function startAgentBench(options: { faults?: string[]; heartbeatSeconds?: number; timeoutSeconds?: number } = {}): Promise<AgentBench> {
  const dir = await mkdtemp(join(tmpdir(), 'changeflow-agent-'));
  const lab = await startLab({ dataDir: dir, faults: options.faults ?? [] });
  const ciliumBinary = await labCiliumExecutable(repoRoot);
  const machines = loadStackMachines(
    synthStack((app) => buildAgentActivityStack(app, { heartbeatSeconds: options.heartbeatSeconds ?? 2, timeoutSeconds: options.timeoutSeconds ?? 120 })),
  );
  const sfn = await startLocalSfn({ machines, log: () => undefined });
  const client = new SFNClient({ endpoint: sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const machine = machines[0]!;
  const activityArn = machine.activities[0]!.arn;
  let seq = 0;
  const bench: AgentBench = {
    lab,
    sfn,
    client,
    dir,
    machineArn: machine.arn,
    activityArn,
    config: (overrides = {}) =>
      AgentConfig.parse({
        agent: { name: 'bench-agent', logLevel: 'debug', ...overrides.agent },
        sites: { [site]: { activityArn, region: 'us-east-1', endpoint: sfn.endpoint } },
        fabrics: {
          [fabric]: { url: lab.apic.url, username: lab.apic.username, password: overrides.password ?? { value: lab.apic.password }, timeoutMs: 10_000, scope: { tenants: ['k8s-prod-a'] } },
        },
        clusters: { [cluster]: { kubeconfig: lab.kubernetes.kubeconfigPath, context: cluster, ciliumBinary } },
        // What a spec's bgpPeering.password: {secretRef: bench-bgp} resolves to on this bench.
        secrets: { [benchBgpSecret.ref]: { value: benchBgpSecret.value } },
        planSigning: { keys: [{ keyId: benchPlanKey.keyId, publicKey: { value: benchPlanKey.publicKeyPem } }] },
      }),
    async writeConfig(name, config) {
      const path = join(dir, name);
      await writeFile(path, stringify(config), { mode: 0o600 });
      return path;
    },
    async start(input) {
      const out = await client.send(new StartExecutionCommand({ stateMachineArn: machine.arn, name: `t${++seq}-${Date.now()}`, input: JSON.stringify(input) }));
      return out.executionArn!;
    },
    async waitForEnd(executionArn, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await client.send(new DescribeExecutionCommand({ executionArn }));
        if (d.status !== 'RUNNING') {
          return { status: d.status ?? 'UNKNOWN', output: d.output === undefined ? undefined : (JSON.parse(d.output) as unknown), error: d.error, cause: d.cause };
        }
        if (Date.now() > deadline) throw new Error(`execution ${executionArn} still RUNNING after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async history(executionArn) {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return events;
    },
    async close() {
      client.destroy();
      await sfn.close();
      await lab.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return bench;
}

/**
 * An agent task as the workflow's prepare-agent-task builds it; a step that writes is signed with
 * the bench key the way the plan step signs (`unsigned: true` leaves it as an attacker would).
 */
export function agentTask(step: AgentStep, commands: AgentCommand[], opts: { changeId?: string; deadlineSeconds?: number; heartbeatSeconds?: number; unsigned?: boolean } = {}): AgentTask {
  const task: AgentTask = {
    protocol: PROTOCOL,
    changeId: opts.changeId ?? `agent-test-${step}`,
    site,
    step,
    deadlineSeconds: opts.deadlineSeconds ?? 90,
    heartbeatSeconds: opts.heartbeatSeconds ?? 2,
    commands,
  };
  const parsed = AgentTask.safeParse(task);
  const command = parsed.success ? parsed.data.commands[0] : undefined;
  if (opts.unsigned || !parsed.success || !command || !isSignedStep(step)) return task;
  const ops = command.type === 'aci.apply' || command.type === 'cluster.apply' || command.type === 'rollback' ? command.ops : [];
  const plan = { planHash: canonicalHash(ops), notAfter: new Date(Date.now() + 3600_000).toISOString(), target: { fabric, cluster } };
  const payload = payloadOfTask({ ...parsed.data, plan }, step, command);
  const value = sign(benchPlanKey.alg === 'ES256' ? 'sha256' : null, signingBytes(payload), createPrivateKey(benchPlanKey.privateKeyPem)).toString('base64');
  return { ...task, plan, signature: { alg: benchPlanKey.alg, keyId: benchPlanKey.keyId, value } };
}

export async function labDumps(lab: Lab): Promise<{ apic: string; kubernetes: string }> {
  await lab.kubernetes.settle();
  const [apic, kubernetes] = await Promise.all([
    fetch(`${lab.apic.url}/_lab/dump`).then((r) => r.text()),
    fetch(`${lab.kubernetes.httpUrl}/_lab/dump`).then((r) => r.text()),
  ]);
  return { apic, kubernetes };
}
