import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../../local/api/server.js';
import { loadStackMachines, startLocalSfn, synthStack, type LocalSfn } from '../../../local/sfn/index.js';
import { signDelivery } from '../../../shared/intake/signature.js';
import { createStore, type Store } from '../../../shared/store/index.js';
import { buildHoldStack } from '../../fixtures/api/hold-stack.js';
import { startTestTable } from '../../support/dynalite.js';
import { eventually } from '../../support/eventually.js';

// Everything the API tests talk to: dynalite with the changeflow table, the local Step Functions
// engine running a machine that only waits, and the API server with the handlers' env pointing
// at both — so each test goes over HTTP exactly as a ticketing system or the CLI would.

export const root = join(import.meta.dirname, '../../..');
export const webhookSecret = 'test-webhook-secret-0123456789';

export interface ApiStack {
  url: string;
  api: ApiServer;
  store: Store;
  sfn: LocalSfn;
  sfnClient: SFNClient;
  machineArn: string;
  env: Record<string, string>;
  executionNames(): Promise<string[]>;
  /** Items in the table, counted over the wire (a test-side Scan; the product never scans). */
  itemCount(): Promise<number>;
  close(): Promise<void>;
}

/** `now`: the clock of the test's own store (what it records is stamped with it). */
export async function startApiStack(extraEnv: Record<string, string> = {}, opts: { now?: () => Date } = {}): Promise<ApiStack> {
  const table = await startTestTable();
  const machines = loadStackMachines(synthStack(buildHoldStack));
  const sfn = await startLocalSfn({ machines, log: () => undefined });
  const machineArn = machines[0]!.arn;
  const sfnClient = new SFNClient({ endpoint: sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const env = {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    AWS_REGION: 'us-east-1',
    STATE_MACHINE_ARN: machineArn,
    SFN_ENDPOINT: sfn.endpoint,
    CHANGEFLOW_SETTINGS: JSON.stringify({ webhookSecret }),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...extraEnv,
  };
  const api = await startApiServer({ env });
  const store = createStore({ client: table.client, tableName: table.tableName, now: opts.now ?? (() => new Date()) });
  return {
    url: api.url,
    api,
    store,
    sfn,
    sfnClient,
    machineArn,
    env,
    async itemCount() {
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await table.client.send(new ScanCommand({ TableName: table.tableName, Select: 'COUNT', ExclusiveStartKey: start }));
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return count;
    },
    async executionNames() {
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfnClient.send(new ListExecutionsCommand({ stateMachineArn: machineArn, nextToken }));
        names.push(...(page.executions ?? []).map((e) => e.name!));
        nextToken = page.nextToken;
      } while (nextToken);
      return names.sort();
    },
    async close() {
      await api.close();
      sfnClient.destroy();
      await sfn.close();
      await table.close();
    },
  };
}

/** ServiceNow's "YYYY-MM-DD HH:mm:ss" (UTC: the tests' integration user zone). */
export function serviceNowTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/** examples/servicenow-approved.json with its window moved around now (the example's has passed). */
export function serviceNowTicket(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const example = JSON.parse(readFileSync(join(root, 'examples/servicenow-approved.json'), 'utf8')) as Record<string, unknown>;
  const now = Date.now();
  return {
    ...example,
    start_date: serviceNowTime(new Date(now + 3600_000)),
    end_date: serviceNowTime(new Date(now + 5 * 3600_000)),
    ...overrides,
  };
}

export function jiraWebhook(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, 'examples/jira-approved.json'), 'utf8')) as Record<string, unknown>;
}

export interface Posted {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs `rawBody` exactly as given, signed over those bytes unless `headers` says otherwise. */
export async function post(url: string, path: string, rawBody: string | Buffer, headers: Record<string, string> = {}): Promise<Posted> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    body = { unparsed: text, error: String(err) };
  }
  return { status: res.status, body };
}

export function signedHeaders(rawBody: string | Buffer, at = new Date()): Record<string, string> {
  return { 'content-type': 'application/json', ...signDelivery(webhookSecret, rawBody, at) };
}

/** The plan.created detail of examples/add-pool-blue.yaml as the plan step records it (one pool, both domains). */
export function poolBluePlanDetail(planHash: string) {
  return {
    planHash,
    totals: { create: 2, modify: 0, delete: 0, restart: 0 },
    ops: [],
    diff: [
      { sign: '+', ref: 'uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.11.0/25]' },
      { sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-blue' },
      { sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-blue', attribute: 'spec.blocks', to: '[{"cidr":"10.0.11.0/25"}]' },
    ],
  };
}

/** Resolves once the CLI (a real process: no clock to inject) has started the execution named `changeId`. */
export async function executionStarted(stack: ApiStack, changeId: string): Promise<void> {
  await eventually(async () => (await stack.executionNames()).includes(changeId), `the CLI started no execution ${changeId}`, { within: 30_000, every: 100 });
}
