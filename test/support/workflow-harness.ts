import {
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generatePlanKeyPair, trustedKey, type TrustedKey } from '../../shared/signing/index.js';
import { ChangeflowStack } from '../../cdk/changeflow-stack.js';
import { forgetSettings } from '../../functions/runtime/settings.js';
import { forgetWorkflowDeps } from '../../functions/runtime/workflow-deps.js';
import { loadStackMachines, startLocalSfn, synthStack, type LocalSfn } from '../../local/sfn/index.js';
import { AgentTask, type AgentResult, type CommandResult } from '../../shared/agent-protocol/index.js';
import { createStore, createWaitQueues, type AuditEvent, type Store, type TaskWaker, type WaitQueues } from '../../shared/store/index.js';
import { sfnTaskWaker } from '../../shared/workflow/task-waker.js';
import type { Timers } from '../../local/sfn/timers.js';
import type { WorkflowTiming } from '../../workflows/timing.js';
import { startTestTable, type TestTable } from './dynalite.js';

// The real change workflow (CDK-built ASL, real Lambda handlers) on the local engine over dynalite,
// with a scripted agent answering the Activity: each test says what the agent does per step.

export const testTiming: WorkflowTiming = {
  agent: {
    'gather-facts': { heartbeatSeconds: 3, timeoutSeconds: 30 },
    snapshot: { heartbeatSeconds: 3, timeoutSeconds: 30 },
    'apply-aci': { heartbeatSeconds: 2, timeoutSeconds: 30 },
    'apply-cluster': { heartbeatSeconds: 2, timeoutSeconds: 30 },
    verify: { heartbeatSeconds: 3, timeoutSeconds: 60 },
    observe: { heartbeatSeconds: 3, timeoutSeconds: 30 },
    rollback: { heartbeatSeconds: 3, timeoutSeconds: 30 },
  },
  lockWait: { sliceSeconds: 20, maxWaitSeconds: 60 },
  executionTimeoutSeconds: 300,
  approvalSliceSeconds: 30,
};

export type ScriptedAnswer =
  | { kind: 'success'; results: CommandResult[] }
  | { kind: 'failure'; error: string; cause: string }
  /** Take the task and never answer nor heartbeat: the workflow must notice by itself. */
  | { kind: 'vanish' };

export type AgentScript = (task: AgentTask) => Promise<ScriptedAnswer> | ScriptedAnswer;

export interface WorkflowHarness {
  readonly sfn: SFNClient;
  readonly local: LocalSfn;
  readonly store: Store;
  readonly table: TestTable;
  readonly stateMachineArn: string;
  readonly activityArn: string;
  /** The public half of the plan step's signing key (the key an agent would trust). */
  readonly planKey: TrustedKey;
  /** Tasks the scripted agent received, in order. */
  readonly tasks: AgentTask[];
  /** The targets' wait queues in the harness table. */
  readonly queues: WaitQueues;
  /** Answers queued changes' task tokens on this engine, as the release step does. */
  readonly waker: TaskWaker;
  /** Resolves with the first audit event of any change that matches (polls the table). */
  waitForEvent(match: (event: AuditEvent) => boolean, timeoutMs?: number): Promise<AuditEvent>;
  start(name: string, request: unknown): Promise<string>;
  waitForEnd(executionArn: string, timeoutMs?: number): Promise<{ status: string; error?: string; cause?: string }>;
  runAgent(script: AgentScript): { stop(): Promise<void> };
  close(): Promise<void>;
}

export async function startWorkflowHarness(
  options: { settings?: Record<string, unknown>; timing?: WorkflowTiming; timers?: Timers; waitTimeOverrides?: Record<string, number> } = {},
): Promise<WorkflowHarness> {
  const timing = options.timing ?? testTiming;
  const table = await startTestTable();
  const pair = generatePlanKeyPair();
  const keyFile = join(mkdtempSync(join(tmpdir(), 'changeflow-plan-key-')), 'plan-signing.key.pem');
  writeFileSync(keyFile, pair.privateKeyPem, { mode: 0o600 });
  // The steps anchor every chain head (shared/anchor): locally a digest directory. The CDK
  // environment also names an S3 bucket; the directory wins, as in `changeflow dev`.
  const anchorDir = mkdtempSync(join(tmpdir(), 'changeflow-anchor-'));
  const anchorKeyFile = join(anchorDir, '..', `${anchorDir.split('/').pop() ?? 'anchor'}.key.pem`);
  writeFileSync(anchorKeyFile, generatePlanKeyPair().privateKeyPem, { mode: 0o600 });
  Object.assign(process.env, {
    CHANGEFLOW_PLAN_SIGNING_KEY_FILE: keyFile,
    CHANGEFLOW_ANCHOR_DIR: anchorDir,
    CHANGEFLOW_ANCHOR_SIGNING_KEY_FILE: anchorKeyFile,
    CHANGEFLOW_PLAN_TTL_SECONDS: String(timing.executionTimeoutSeconds),
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    CHANGEFLOW_SITES: 'dc1',
    CHANGEFLOW_AGENT_TIMING: JSON.stringify(timing.agent),
    CHANGEFLOW_LEASE_TTL_MS: '60000',
    CHANGEFLOW_SETTINGS: JSON.stringify({ webhookSecret: 'test-webhook-secret-0123456789', ...options.settings }),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  delete process.env['CHANGEFLOW_SECRET_ARN'];
  forgetSettings();
  forgetWorkflowDeps();
  const repoRoot = resolve(import.meta.dirname, '../..');
  const stack = synthStack((app) => new ChangeflowStack(app, 'Changeflow', { sites: ['dc1'], repoRoot, timing }));
  const machines = loadStackMachines(stack);
  const local = await startLocalSfn({ machines, activityPollMs: 1000, rootDir: repoRoot, log: () => undefined, ...(options.timers ? { timers: options.timers } : {}), ...(options.waitTimeOverrides ? { waitTimeOverrides: options.waitTimeOverrides } : {}) });
  // The steps that hand a lease to a queued change answer its task token on this engine.
  process.env['SFN_ENDPOINT'] = local.endpoint;
  const sfn = new SFNClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const machine = machines[0];
  const activity = machine?.activities[0];
  if (!machine || !activity) throw new Error('the change stack has no state machine or activity');
  const store = createStore({ client: table.client, tableName: table.tableName, now: () => new Date() });
  const tasks: AgentTask[] = [];
  const agents: Array<{ stop(): Promise<void> }> = [];

  return {
    sfn,
    local,
    store,
    table,
    stateMachineArn: machine.arn,
    activityArn: activity.arn,
    planKey: trustedKey(pair.keyId, pair.publicKeyPem),
    tasks,
    queues: createWaitQueues({ client: table.client, tableName: table.tableName, now: () => new Date() }),
    waker: sfnTaskWaker(sfn),
    async waitForEvent(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for await (const event of store.exportEvents({})) if (match(event)) return event;
        if (Date.now() > deadline) throw new Error(`no matching audit event within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async start(name, request) {
      const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.arn, name, input: JSON.stringify(request) }));
      return out.executionArn ?? '';
    },
    async waitForEnd(executionArn, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (out.status !== 'RUNNING') return { status: out.status ?? 'UNKNOWN', error: out.error, cause: out.cause };
        if (Date.now() > deadline) throw new Error(`execution still RUNNING after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    runAgent(script) {
      let stopped = false;
      const loop = (async () => {
        while (!stopped) {
          const out = await sfn.send(new GetActivityTaskCommand({ activityArn: activity.arn, workerName: 'scripted-agent' }));
          if (!out.taskToken) continue;
          const task = AgentTask.parse(JSON.parse(out.input ?? '{}'));
          tasks.push(task);
          const answer = await script(task);
          if (answer.kind === 'vanish') continue;
          if (answer.kind === 'failure') {
            await sfn.send(new SendTaskFailureCommand({ taskToken: out.taskToken, error: answer.error, cause: answer.cause }));
            continue;
          }
          await sfn.send(new SendTaskHeartbeatCommand({ taskToken: out.taskToken }));
          const result: AgentResult = {
            protocol: 'changeflow.agent/v1',
            changeId: task.changeId,
            step: task.step,
            agent: { name: 'scripted-agent', version: 'test' },
            startedAt: new Date().toISOString(),
            finishedAt: new Date().toISOString(),
            results: answer.results,
          };
          await sfn.send(new SendTaskSuccessCommand({ taskToken: out.taskToken, output: JSON.stringify(result) }));
        }
      })();
      const handle = {
        async stop() {
          stopped = true;
          await loop.catch(() => undefined);
        },
      };
      agents.push(handle);
      return handle;
    },
    async close() {
      await Promise.all(agents.map((a) => a.stop()));
      sfn.destroy();
      await local.close();
      await table.close();
    },
  };
}
