import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import * as z from '../../shared/zod.js';
import { jiraDelivery, serviceNowDelivery } from '../../local/dev/demo-tickets.js';
import type { DevStack } from '../../local/dev/dev-stack.js';
import type { LabScenario } from '../../local/lab/index.js';
import { AuditEvent, ChainVerdict, ChangeRecord } from '../../shared/store/index.js';

// The e2e harness: one whole local stack (dynalite, lab, local Step Functions engine, HTTP API,
// supervised agent process) per test file, and changes that enter the way real ones do — a ticket
// created through the lab ServiceNow/Jira API, then its signed webhook posted to the API.

export interface E2eStack {
  readonly stack: DevStack;
  readonly api: string;
  /** Log lines of the stack and the agent, for a failing test's message. */
  readonly log: string[];
  close(): Promise<void>;
}

export async function startE2eStack(name: string, faults: readonly string[] = [], scenario?: LabScenario): Promise<E2eStack> {
  // The in-process Lambda handlers log every step at INFO; a test shows warnings only and no EMF
  // metric lines, as `dev` does — set before the handler modules load, hence the lazy import.
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
  process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
  const { startDevStack } = await import('../../local/dev/dev-stack.js');
  const dir = await mkdtemp(join(tmpdir(), `changeflow-e2e-${name}-`));
  const log: string[] = [];
  // An observation interval (≥ 5 s by the spec's rule) passes in a fifth of a second: the loop is real, the wait is not.
  const stack = await startDevStack({ port: 0, dataDir: dir, faults, scenario, log: (line) => log.push(line), waitTimeOverrides: { 'Observe: wait an interval': 200 } });
  return {
    stack,
    api: stack.endpoints.api,
    log,
    close: async () => {
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function e2eSpec(name: string): string {
  return readFileSync(new URL(`../fixtures/e2e/${name}.yaml`, import.meta.url), 'utf8');
}

/** The same spec asking to remove what it created (docs/architecture.md §3.1: same type, `state: absent`). */
export function asAbsent(specYaml: string): string {
  const doc = parseDocument(specYaml);
  const { changes } = z.object({ changes: z.array(z.unknown()) }).parse(doc.toJS());
  changes.forEach((_, i) => doc.setIn(['changes', i, 'state'], 'absent'));
  return doc.toString();
}

export type TicketSystem = 'servicenow' | 'jira';

export interface Submitted {
  readonly system: TicketSystem;
  /** ServiceNow number or Jira key, as people see it. */
  readonly ticket: string;
  /** ServiceNow sys_id or Jira key: what the ticket APIs are addressed by. */
  readonly ticketId: string;
  readonly changeId: string;
  readonly executionArn: string;
}

const Started = z.object({ changeId: z.string(), executionArn: z.string(), status: z.literal('started') });
const ServiceNowRecord = z.object({ sys_id: z.string() });

/** Creates and approves a ticket in the lab, then posts its signed webhook; the change must start. */
export async function submitTicket(e2e: E2eStack, system: TicketSystem, title: string, specYaml: string): Promise<Submitted> {
  const { lab, endpoints } = e2e.stack;
  const now = new Date();
  const delivery =
    system === 'servicenow'
      ? await serviceNowDelivery(lab, endpoints.webhookSecret, title, specYaml, now)
      : await jiraDelivery(lab, endpoints.webhookSecret, title, specYaml, now);
  const res = await fetch(`${e2e.api}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`expected the ${system} webhook for ${delivery.ticket} to start a change (202); got ${res.status} ${text}`);
  const { changeId, executionArn } = Started.parse(JSON.parse(text));
  const ticketId = system === 'servicenow' ? ServiceNowRecord.parse(JSON.parse(delivery.body)).sys_id : delivery.ticket;
  return { system, ticket: delivery.ticket, ticketId, changeId, executionArn };
}

export interface Finished {
  readonly change: ChangeRecord;
  readonly events: AuditEvent[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ChangeReply = z.object({ change: ChangeRecord });
const EventsReply = z.object({ events: z.array(AuditEvent) });

/**
 * Waits for the change's execution to end — after the final status, locks are released and the
 * ticket closed — then reads the change and its events over the HTTP API. The engine answers
 * DescribeExecution from memory, so waiting costs the table (dynalite) nothing.
 */
export async function waitForChange(e2e: E2eStack, started: Pick<Submitted, 'changeId' | 'executionArn'>, timeoutMs = 90_000): Promise<Finished> {
  const { changeId, executionArn } = started;
  const deadline = Date.now() + timeoutMs;
  const sfn = new SFNClient({ endpoint: e2e.stack.sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    while ((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING') {
      if (Date.now() > deadline) throw new Error(`expected change ${changeId} to end within ${timeoutMs} ms; execution ${executionArn} still runs\n${e2e.log.slice(-30).join('\n')}`);
      await sleep(150);
    }
  } finally {
    sfn.destroy();
  }
  const base = `${e2e.api}/changes/${encodeURIComponent(changeId)}`;
  const { change } = ChangeReply.parse(await (await fetch(base)).json());
  const { events } = EventsReply.parse(await (await fetch(`${base}/events`)).json());
  return { change, events };
}

/** Submits through a ticket and waits for the end: the whole path of one change. */
export async function runChange(e2e: E2eStack, system: TicketSystem, title: string, specYaml: string): Promise<Submitted & Finished> {
  const submitted = await submitTicket(e2e, system, title, specYaml);
  return { ...submitted, ...(await waitForChange(e2e, submitted)) };
}

export async function verifyChain(e2e: E2eStack, changeId: string): Promise<ChainVerdict> {
  const res = await fetch(`${e2e.api}/changes/${encodeURIComponent(changeId)}/verify`);
  return ChainVerdict.parse(await res.json());
}
