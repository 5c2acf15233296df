import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChangeflowStack, activityName } from '../../cdk/changeflow-stack.js';
import { directoryAnchor } from '../../functions/runtime/audit-anchor.js';
import { forgetSettings } from '../../functions/runtime/settings.js';
import { forgetWorkflowDeps } from '../../functions/runtime/workflow-deps.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { localTiming, type WorkflowTiming } from '../../workflows/timing.js';
import { startApiProcess, type ApiProcess } from '../api/api-process.js';
import { startDynalite } from '../dynamo/dynalite.js';
import { ensureTable } from '../dynamo/ensure-table.js';
import { writeEndpoints, type StackEndpoints } from '../lab/endpoints.js';
import { startLab, type Lab, type LabLatency, type LabScenario } from '../lab/index.js';
import { loadStackMachines, startLocalSfn, synthStack, type LocalSfn } from '../sfn/index.js';
import { writeLabAgentConfig } from './agent-config.js';
import { installAgentCertificate } from './agent-apic-certificate.js';
import { AgentSupervisor } from './agent-supervisor.js';
import { labCiliumExecutable } from '../lab/cilium-executable.js';
import { ensureAnchorSigningKey, ensurePlanSigningKey } from './plan-signing-key.js';
import { ensurePageLinkKey } from './page-link-key.js';

// `changeflow dev`: the whole product on one machine. dynalite holds the table, the local engine
// runs the ASL that CDK builds for AWS, the HTTP API runs the same handler modules as Lambda, the
// lab stands in for the APIC, the cluster and the ticketing systems, and a real agent process
// polls the site's Activity exactly as it would from a bastion.

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const labSite = 'dc1';
const labFabric = 'dc1-aci';
const labCluster = 'prod-a';
/** The default scenario's tenant: the only one the lab agent may write. */
const labTenants = ['k8s-prod-a'];
/** The audit anchor's digest directory inside the data dir (`changeflow audit verify` reads it there). */
export const anchorDirName = 'audit-anchor';

export interface DevStackOptions {
  readonly port: number;
  readonly dataDir: string;
  readonly labSeed?: string;
  /** The lab scenario of both emulators (`--scenario`); `default` unless given. */
  readonly scenario?: LabScenario;
  readonly faults: readonly string[];
  readonly log: (line: string) => void;
  readonly timing?: WorkflowTiming;
  /**
   * Run the bastion agent process (default true); 'external': write `<data-dir>/agent.yaml` and
   * start none, for an agent run separately (the built dist/agent/changeflow-agent.mjs).
   */
  readonly agent?: boolean | 'external';
  /** Emulated device round trips (benchmarks); none by default. */
  readonly labLatencyMs?: LabLatency;
  /** A DynamoDB endpoint to use instead of starting dynalite in this process (benchmarks run it in another). */
  readonly dynamodbEndpoint?: string;
  /** Milliseconds named Wait states pause instead of their seconds (tests: the observation interval is ≥ 5 s). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** The API handlers' stdout (log and EMF lines): this process's (default), or dropped (benchmarks). */
  readonly apiStdout?: 'inherit' | 'ignore';
  /** How the lab agent authenticates to the APIC: aaaLogin with the password (default) or a signed certificate (no login). */
  readonly apicAuth?: 'password' | 'certificate';
}

export interface DevStack {
  readonly endpoints: StackEndpoints;
  readonly endpointsPath: string;
  readonly lab: Lab;
  readonly sfn: LocalSfn;
  /** The HTTP API, in a process of its own (as on AWS, off the engine's event loop). */
  readonly api: ApiProcess;
  readonly store: Store;
  readonly agent?: AgentSupervisor;
  /** The config the agent serves this stack with (written unless `agent: false`). */
  readonly agentConfigPath?: string;
  close(): Promise<void>;
}

async function webhookSecretIn(dataDir: string): Promise<string> {
  const path = join(dataDir, 'webhook-secret');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const secret = randomBytes(24).toString('hex');
    await writeFile(path, secret, { mode: 0o600 });
    return secret;
  }
}

export async function startDevStack(opts: DevStackOptions): Promise<DevStack> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const timing = opts.timing ?? localTiming;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const dynamo = opts.dynamodbEndpoint ? { endpoint: opts.dynamodbEndpoint } : await startDynalite({ dataDir: join(dataDir, 'dynamodb') });
    if ('close' in dynamo) closers.push(() => dynamo.close());
    const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    closers.push(async () => raw.destroy());
    await ensureTable(raw, 'changeflow');
    // Every audit head is also anchored in signed digest files beside the table (shared/anchor).
    const anchorKey = await ensureAnchorSigningKey(dataDir);
    const anchorDir = join(dataDir, anchorDirName);
    const now = () => new Date();
    const anchor = directoryAnchor(anchorDir, { signingKeyFile: anchorKey.privateKeyFile, now });
    const store = createStore({ client: DynamoDBDocumentClient.from(raw), tableName: 'changeflow', now, anchor });

    const lab = await startLab({ dataDir, seedDir: opts.labSeed, scenario: opts.scenario, faults: [...opts.faults], latencyMs: opts.labLatencyMs });
    closers.push(() => lab.close());
    const webhookSecret = await webhookSecretIn(dataDir);
    const planKey = await ensurePlanSigningKey(dataDir);
    const pageLinkKeyFile = await ensurePageLinkKey(dataDir);

    // The workflow steps run in this process, the API handlers in a child process (as on AWS,
    // where they never share the engine's event loop); both read their configuration from the
    // environment, as on Lambda.
    const api = await startApiProcess({ port: opts.port, log: opts.log, stdout: opts.apiStdout });
    closers.push(() => api.close());
    const stack = synthStack((app) => new ChangeflowStack(app, 'Changeflow', { sites: [labSite], repoRoot, timing }));
    const machines = loadStackMachines(stack);
    const sfn = await startLocalSfn({ machines, dataDir, dynamodbEndpoint: dynamo.endpoint, rootDir: repoRoot, log: opts.log, ...(opts.waitTimeOverrides ? { waitTimeOverrides: opts.waitTimeOverrides } : {}) });
    closers.push(() => sfn.close());
    const machine = machines[0];
    const activity = machine?.activities.find((a) => a.name === activityName(labSite));
    if (!machine || !activity) throw new Error('the change stack has no state machine or no activity for the lab site');

    const handlerEnv: Record<string, string> = {
      TABLE_NAME: 'changeflow',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      STATE_MACHINE_ARN: machine.arn,
      SFN_ENDPOINT: sfn.endpoint,
      CHANGEFLOW_SITES: labSite,
      CHANGEFLOW_AGENT_TIMING: JSON.stringify(timing.agent),
      CHANGEFLOW_LEASE_TTL_MS: String(timing.executionTimeoutSeconds * 1000),
      // Only the plan step signs; locally every handler shares this process's environment.
      CHANGEFLOW_PLAN_SIGNING_KEY_FILE: planKey.privateKeyFile,
      CHANGEFLOW_PLAN_TTL_SECONDS: String(timing.executionTimeoutSeconds),
      CHANGEFLOW_ANCHOR_DIR: anchorDir,
      CHANGEFLOW_ANCHOR_SIGNING_KEY_FILE: anchorKey.privateKeyFile,
      // The ticket notes' page links (GET /links/changes/{id}), signed as the KMS HMAC key does on AWS.
      CHANGEFLOW_PAGE_LINK_KEY_FILE: pageLinkKeyFile,
      CHANGEFLOW_SETTINGS: JSON.stringify({
        webhookSecret,
        servicenow: { url: lab.servicenow.url, username: lab.servicenow.username, password: lab.servicenow.password },
        jira: { url: lab.jira.url, email: lab.jira.email, token: lab.jira.token },
        publicUrl: api.url,
      }),
      AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'] ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'local',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    Object.assign(process.env, handlerEnv);
    delete process.env['CHANGEFLOW_SECRET_ARN'];
    forgetSettings();
    await api.setEnv(handlerEnv);
    forgetWorkflowDeps();

    let agent: AgentSupervisor | undefined;
    let agentConfigPath: string | undefined;
    if (opts.agent !== false) {
      const configPath = join(dataDir, 'agent.yaml');
      agentConfigPath = configPath;
      await writeLabAgentConfig(configPath, {
        site: labSite,
        activityArn: activity.arn,
        sfnEndpoint: sfn.endpoint,
        fabric: labFabric,
        apic: {
          url: lab.apic.url, username: lab.apic.username, password: lab.apic.password,
          ...(opts.apicAuth === 'certificate' ? { certificate: await installAgentCertificate(dataDir, lab.apic) } : {}),
        },
        cluster: labCluster,
        kubeconfig: lab.kubernetes.kubeconfigPath,
        ciliumBinary: await labCiliumExecutable(repoRoot),
        healthFile: join(dataDir, 'agent-health.json'),
        tenants: labTenants,
        planKey,
        progress: { tableName: 'changeflow', endpoint: dynamo.endpoint },
      });
      if (opts.agent !== 'external') {
        const crash = lab.agentFaults.find((f) => f.action === 'crash');
        const supervised = new AgentSupervisor({ repoRoot, configPath, crashStep: crash?.mode, log: opts.log });
        supervised.start();
        agent = supervised;
        closers.push(() => supervised.stop());
      }
    }

    const endpoints: StackEndpoints = { ...lab.endpoints, api: api.url, sfn: sfn.endpoint, dynamodb: dynamo.endpoint, webhookSecret };
    const endpointsPath = await writeEndpoints(dataDir, endpoints);
    return { endpoints, endpointsPath, lab, sfn, api, store, agent, agentConfigPath, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
