import type { ApicClient } from './apic/client.js';
import { apicClientOf } from './apic/fabric-client.js';
import { createClusterClient, type ClusterClient } from './cluster/index.js';
import { createActivityClient } from './activity-client.js';
import { ActivityWorker } from './activity-worker.js';
import { resolvePublicKey, type AgentConfig } from './config.js';
import { HealthReporter } from './health.js';
import { kubeconfigSecrets } from './kubeconfig-secrets.js';
import { createAgentLog } from './log.js';
import { Redactor } from '../shared/runtime/redact.js';
import { commandRunner } from './run-command.js';
import { loadSecretValues } from './secret-values.js';
import { TargetMutex } from './target-mutex.js';
import { checkCommandScope, type Scopes } from './scope.js';
import { authorizeTask } from './task-authorization.js';
import { trustedKey, type TrustedKey } from '../shared/signing/index.js';
import { InvalidInput } from '../shared/errors.js';
import { dynamoProgressReporter } from './progress-reporter.js';
import { dynamoResultStore } from './result-store.js';

export const agentVersion = '0.1.0';

export interface RunningAgent {
  readonly health: HealthReporter;
  stop(): Promise<void>;
}

// One worker per site, sharing the APIC and cluster clients and one per-target mutex.
export async function startAgent(
  config: AgentConfig,
  options: { env?: NodeJS.ProcessEnv; now?: () => Date; crash?: () => never; write?: (line: string) => void } = {},
): Promise<RunningAgent> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const redactor = new Redactor();
  const log = createAgentLog({ redactor, level: config.agent.logLevel, agent: config.agent.name, now, write: options.write });
  const apicClients = new Map<string, ApicClient>();
  for (const [name, fabric] of Object.entries(config.fabrics)) {
    apicClients.set(name, await apicClientOf(fabric, env, (secret) => redactor.add(secret)));
  }
  const clusters = new Map<string, { client: ClusterClient; cilium: { binaryPath: string; kubeconfigPath: string; context?: string; namespace: string } }>();
  for (const [name, c] of Object.entries(config.clusters)) {
    // The kube credentials live in the kubeconfig, not in this config: mask them as well.
    for (const secret of kubeconfigSecrets(c.kubeconfig, c.context)) redactor.add(secret);
    clusters.set(name, {
      client: createClusterClient({ kubeconfigPath: c.kubeconfig, context: c.context, fieldManager: 'changeflow' }),
      cilium: { binaryPath: c.ciliumBinary, kubeconfigPath: c.kubeconfig, context: c.context, namespace: c.ciliumNamespace },
    });
  }
  // Secret references plans may name (bgpPeering.password): masked in every log line and result.
  const secrets = await loadSecretValues(config, env, (value) => redactor.add(value));
  const keys: TrustedKey[] = [];
  for (const k of config.planSigning.keys) {
    try {
      keys.push(trustedKey(k.keyId, await resolvePublicKey(k.publicKey)));
    } catch (err) {
      if (err instanceof InvalidInput) throw err;
      throw new InvalidInput(`planSigning key ${k.keyId} in the agent config is not a P-256 or Ed25519 public key (${(err as Error).message}); give the PEM or base64 DER of the plan-signing key`);
    }
  }
  const scopes: Scopes = {
    fabric: (name) => {
      const f = config.fabrics[name];
      if (!f) throw new Error(`fabric ${name} is not configured`);
      return f.scope;
    },
    cluster: (name) => {
      const c = config.clusters[name];
      if (!c) throw new Error(`cluster ${name} is not configured`);
      return { ...c.scope, ciliumNamespace: c.ciliumNamespace };
    },
  };
  const runCommand = commandRunner({
    apic: (fabric) => {
      const client = apicClients.get(fabric);
      if (!client) throw new Error(`fabric ${fabric} is not configured`);
      return client;
    },
    cluster: (cluster) => {
      const c = clusters.get(cluster);
      if (!c) throw new Error(`cluster ${cluster} is not configured`);
      return c;
    },
    secrets,
  }, scopes);
  const health = new HealthReporter(config.agent.name, config.agent.healthFile, now());
  const mutex = new TargetMutex();
  // Lab fault agent.crash=STEP (docs/architecture.md §3.5): the dev stack's supervisor sets it for the first
  // agent process only. A real bastion never sets it.
  const crashStep = env['CHANGEFLOW_AGENT_CRASH'] || undefined;
  const progress = config.progress ? dynamoProgressReporter(config.progress, log, env) : undefined;
  // The same table holds results too large to send inline (RESULT#…, shared/store/agent-results.ts).
  const resultStore = config.progress ? dynamoResultStore(config.progress, env) : undefined;
  const workers = Object.entries(config.sites).map(([site, s]) => {
    const sfn = createActivityClient(s, env);
    const worker = new ActivityWorker({
      sfn,
      site,
      activityArn: s.activityArn,
      workerName: config.agent.name,
      version: agentVersion,
      runCommand,
      guard: (task) => {
        authorizeTask(task, { site, keys, now });
        for (const command of task.commands) checkCommandScope(command, scopes);
      },
      configured: { fabrics: [...apicClients.keys()], clusters: [...clusters.keys()] },
      redactor,
      log,
      health,
      mutex,
      maxResultBytes: config.agent.maxResultBytes,
      inlineResultBytes: config.agent.inlineResultBytes,
      resultStore,
      now,
      crashStep,
      crash: options.crash,
      progress,
    });
    worker.start(config.agent.concurrency);
    return { worker, sfn };
  });
  log.log('info', 'agent started', { sites: Object.keys(config.sites), fabrics: [...apicClients.keys()], clusters: [...clusters.keys()], planKeys: keys.map((k) => k.keyId) });
  return {
    health,
    async stop() {
      health.health.state = 'stopping';
      await health.flush();
      await Promise.all(workers.map((w) => w.worker.stop()));
      for (const w of workers) w.sfn.destroy();
      health.health.state = 'stopped';
      await health.flush();
      log.log('info', 'agent stopped');
    },
  };
}
