import { jiraPeople, serviceNowPeople, type RequesterDirectory } from '../../shared/tickets/people.js';
import { JiraStatusReader, ServiceNowStatusReader } from '../../shared/tickets/status-readers.js';
import type { TicketStatusReader } from '../../shared/workflow/deps.js';
import { integrationSettings } from './settings.js';
import { addedOnce } from './workflow-deps.js';

// What reads tickets rather than writing notes on them: the status readers of the re-check step
// and the requester directories of the validate step. Kept out of workflow-deps.ts so that the
// other steps' bundles do not carry them, as lock-queues.ts keeps the queues to the lock steps.

type PerSystem<T> = Partial<Record<'servicenow' | 'jira', T>>;

/** The workflow's dependencies plus a status reader per configured ticketing system (once per container). */
export const withTicketReaders = addedOnce(async (deps) => {
  const settings = await integrationSettings();
  const ticketReaders: PerSystem<TicketStatusReader> = {};
  if (settings.servicenow) ticketReaders.servicenow = new ServiceNowStatusReader({ ...settings.servicenow, http: { fetch } });
  if (settings.jira) ticketReaders.jira = new JiraStatusReader({ ...settings.jira, http: { fetch } });
  return { ...deps, ticketReaders };
});

/** The workflow's dependencies plus a requester directory per configured ticketing system (once per container). */
export const withRequesterDirectories = addedOnce(async (deps) => {
  const settings = await integrationSettings();
  const requesterDirectories: PerSystem<RequesterDirectory> = {};
  if (settings.servicenow) requesterDirectories.servicenow = serviceNowPeople({ ...settings.servicenow, http: { fetch } });
  if (settings.jira) requesterDirectories.jira = jiraPeople({ ...settings.jira, http: { fetch } });
  return { ...deps, requesterDirectories };
});
