import * as z from 'zod';
import { AgentStep } from '../../shared/agent-protocol/index.js';
import { JiraTicketWriter } from '../../shared/tickets/jira.js';
import { ServiceNowTicketWriter } from '../../shared/tickets/servicenow.js';
import type { TicketWriter } from '../../shared/tickets/writer.js';
import { JiraStatusReader, ServiceNowStatusReader } from '../../shared/tickets/status-readers.js';
import { jiraPeople, serviceNowPeople, type RequesterDirectory } from '../../shared/tickets/people.js';
import type { TicketStatusReader, WorkflowDeps } from '../../shared/workflow/deps.js';
import { logger } from './logger.js';
import { count, metricNames, metrics } from './metrics.js';
import { integrationSettings } from './settings.js';
import { anchoredStoreFromEnv } from './anchored-store.js';
import { mintPageLink } from '../../shared/signing/page-link.js';
import { pageLinkMacFromEnv } from './page-link-mac.js';

// Builds what the workflow steps need from this Lambda's environment and settings, once per
// container. The embedded default sets the same variables for its in-process handlers.

const StepLimitsEnv = z.record(AgentStep, z.strictObject({ heartbeatSeconds: z.number().int().positive(), timeoutSeconds: z.number().int().positive() }));

let cached: Promise<WorkflowDeps> | undefined;

export function workflowDeps(env: NodeJS.ProcessEnv = process.env): Promise<WorkflowDeps> {
  cached ??= build(env);
  return cached;
}

export function forgetWorkflowDeps(): void {
  cached = undefined;
}

async function build(env: NodeJS.ProcessEnv): Promise<WorkflowDeps> {
  const settings = await integrationSettings(env);
  const timing = StepLimitsEnv.parse(JSON.parse(env['CHANGEFLOW_AGENT_TIMING'] ?? '{}'));
  const ticketWriters: Partial<Record<'servicenow' | 'jira', TicketWriter>> = {};
  const ticketReaders: Partial<Record<'servicenow' | 'jira', TicketStatusReader>> = {};
  const requesterDirectories: Partial<Record<'servicenow' | 'jira', RequesterDirectory>> = {};
  if (settings.servicenow) {
    ticketWriters.servicenow = new ServiceNowTicketWriter({ ...settings.servicenow, http: { fetch } });
    ticketReaders.servicenow = new ServiceNowStatusReader({ ...settings.servicenow, http: { fetch } });
    requesterDirectories.servicenow = serviceNowPeople({ ...settings.servicenow, http: { fetch } });
  }
  if (settings.jira) {
    ticketWriters.jira = new JiraTicketWriter({ ...settings.jira, http: { fetch } });
    ticketReaders.jira = new JiraStatusReader({ ...settings.jira, http: { fetch } });
    requesterDirectories.jira = jiraPeople({ ...settings.jira, http: { fetch } });
  }
  const publicUrl = settings.publicUrl;
  return {
    store: anchoredStoreFromEnv(),
    now: () => new Date(),
    sites: (env['CHANGEFLOW_SITES'] ?? '').split(',').filter(Boolean),
    agentTiming: timing,
    ticketWriters,
    ticketReaders,
    requesterDirectories,
    leaseTtlMs: Number(env['CHANGEFLOW_LEASE_TTL_MS'] ?? 2 * 3600 * 1000),
    lockWaitMs: Number(env['CHANGEFLOW_LOCK_WAIT_SECONDS'] ?? 6 * 3600) * 1000,
    pageLink: pageLinkMinter(publicUrl, settings.pageLinkDays ?? defaultPageLinkDays, env),
    // The TicketWriteBackFailed alarm counts the metric (EMF); the log line says which and why.
    onWriteBackFailed: (changeId, error) => {
      logger.error('ticket write-back failed', { changeId, error: error.message });
      count(metrics, metricNames.ticketWriteBackFailed);
    },
    actor: 'changeflow-workflow',
    approvalPolicy: settings.changeControl?.approval,
    driftTicketNote: settings.changeControl?.drift?.ticketNote ?? false,
    // Signed tasks and the execution both end after CHANGEFLOW_PLAN_TTL_SECONDS: waiting for an
    // approval may take at most half of it, leaving the rest to apply, verify and roll back.
    approvalMaxSeconds: env['CHANGEFLOW_PLAN_TTL_SECONDS'] ? Math.floor(Number(env['CHANGEFLOW_PLAN_TTL_SECONDS']) / 2) : undefined,
  };
}

/** A ticket is read for weeks after its change; a month covers the review that follows. */
const defaultPageLinkDays = 30;

/**
 * Ticket notes link the change's page. With a page-link key (KMS on AWS, a data-dir file locally)
 * the link is signed, read-only and expires after `pageLinkDays`: it opens without credentials.
 * Without one it is the IAM route, which only a signed-in operator can open.
 */
function pageLinkMinter(publicUrl: string | undefined, days: number, env: NodeJS.ProcessEnv): ((changeId: string) => Promise<string>) | undefined {
  if (!publicUrl) return undefined;
  const mac = pageLinkMacFromEnv(env);
  if (!mac) return (id) => Promise.resolve(`${publicUrl.replace(/\/$/, '')}/changes/${encodeURIComponent(id)}`);
  return (changeId) => mintPageLink({ baseUrl: publicUrl, changeId, expiresAt: new Date(Date.now() + days * 86_400_000), mac });
}
