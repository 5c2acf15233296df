import { mintPageLink } from '../../shared/signing/page-link.js';
import { JiraTicketWriter } from '../../shared/tickets/jira.js';
import { ServiceNowTicketWriter } from '../../shared/tickets/servicenow.js';
import type { TicketWriter } from '../../shared/tickets/writer.js';
import { logger } from './logger.js';
import { count, metricNames, metrics } from './metrics.js';
import { pageLinkMacFromEnv } from './page-link-mac.js';
import { integrationSettings } from './settings.js';
import { addedOnce } from './workflow-deps.js';

// What writes on tickets: a writer per configured system, the page link each note carries, and
// the metric a failed write-back raises. Only the steps that write notes or close tickets add
// them (validate, plan, record-step, request-approval, record-outcome, notify), so the other
// steps' bundles — the precheck's above all — carry neither the writers nor Metrics. A step that
// writes without them fails (shared/workflow/ticket-notes.ts) rather than skip the note.

/** The workflow's dependencies plus the ticket writers, page links and write-back alarm (once per container). */
export const withTicketWriters = addedOnce(async (deps) => {
  const env = process.env;
  const settings = await integrationSettings(env);
  const ticketWriters: Partial<Record<'servicenow' | 'jira', TicketWriter>> = {};
  if (settings.servicenow) ticketWriters.servicenow = new ServiceNowTicketWriter({ ...settings.servicenow, http: { fetch } });
  if (settings.jira) ticketWriters.jira = new JiraTicketWriter({ ...settings.jira, http: { fetch } });
  return {
    ...deps,
    ticketWriters,
    pageLink: pageLinkMinter(settings.publicUrl, settings.pageLinkDays ?? defaultPageLinkDays, env),
    // The TicketWriteBackFailed alarm counts the metric (EMF); the log line says which and why.
    onWriteBackFailed: (changeId, error) => {
      logger.error('ticket write-back failed', { changeId, error: error.message });
      count(metrics, metricNames.ticketWriteBackFailed);
    },
  };
});

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
