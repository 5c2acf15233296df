import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { jiraDelivery, serviceNowDelivery } from '../../local/dev/demo-tickets.js';
import type { DevStack } from '../../local/dev/dev-stack.js';
import { watchChange } from '../../local/api/change-watch.js';
import { AuditEvent, ChainVerdict, type ChangeRecord } from '../../shared/store/index.js';

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

export async function startE2eStack(name: string, faults: readonly string[] = []): Promise<E2eStack> {
  // The in-process Lambda handlers log every step at INFO; a test shows warnings only, as `dev`
  // does — set before the handler modules load, hence the lazy import.
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
  const { startDevStack } = await import('../../local/dev/dev-stack.js');
  const dir = await mkdtemp(join(tmpdir(), `changeflow-e2e-${name}-`));
  const log: string[] = [];
  const stack = await startDevStack({ port: 0, dataDir: dir, faults, log: (line) => log.push(line) });
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

/** The same spec asking to remove what it created (DESIGN.md §3.1: same type, `state: absent`). */
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
}

const Started = z.object({ changeId: z.string(), status: z.literal('started') });
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
  const { changeId } = Started.parse(JSON.parse(text));
  const ticketId = system === 'servicenow' ? ServiceNowRecord.parse(JSON.parse(delivery.body)).sys_id : delivery.ticket;
  return { system, ticket: delivery.ticket, ticketId, changeId };
}

export interface Finished {
  readonly change: ChangeRecord;
  readonly events: AuditEvent[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const EventsReply = z.object({ events: z.array(AuditEvent) });

/**
 * Follows a change over the HTTP API until its status is final, then until its execution has
 * ended: locks are released and the ticket is closed after the final status is recorded.
 */
export async function waitForChange(e2e: E2eStack, changeId: string, timeoutMs = 90_000): Promise<Finished> {
  const deadline = Date.now() + timeoutMs;
  const result = await watchChange({ fetch, sleep, clock: () => Date.now() }, { api: e2e.api, changeId, intervalMs: 200, timeoutMs, onEvent: () => undefined });
  const stuck = (what: string) => new Error(`expected change ${changeId} to end within ${timeoutMs} ms; ${what}\n${e2e.log.slice(-30).join('\n')}`);
  if (result.kind !== 'final') throw stuck(`it is still ${result.change?.status ?? 'not recorded'}`);
  const { executionArn } = result.change;
  if (!executionArn) throw stuck('its record names no execution');
  const sfn = new SFNClient({ endpoint: e2e.stack.sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    while ((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING') {
      if (Date.now() > deadline) throw stuck(`its status is ${result.change.status} but execution ${executionArn} still runs`);
      await sleep(100);
    }
  } finally {
    sfn.destroy();
  }
  const events = EventsReply.parse(await (await fetch(`${e2e.api}/changes/${encodeURIComponent(changeId)}/events`)).json()).events;
  return { change: result.change, events };
}

/** Submits through a ticket and waits for the end: the whole path of one change. */
export async function runChange(e2e: E2eStack, system: TicketSystem, title: string, specYaml: string): Promise<Submitted & Finished> {
  const submitted = await submitTicket(e2e, system, title, specYaml);
  return { ...submitted, ...(await waitForChange(e2e, submitted.changeId)) };
}

export async function verifyChain(e2e: E2eStack, changeId: string): Promise<ChainVerdict> {
  const res = await fetch(`${e2e.api}/changes/${encodeURIComponent(changeId)}/verify`);
  return ChainVerdict.parse(await res.json());
}
