import * as z from '../zod.js';
import type { TicketRef } from '../spec/change-request.js';
import { parseInstanceTime } from '../intake/instance-time.js';
import { stateLabel } from '../intake/servicenow.js';
import { TicketReadFailed, TicketWriteFailed } from './errors.js';
import { basicAuth, sendWithRetry, type TicketCall, type TicketHttp } from './http.js';

// "Is this ticket still approved?" just before applying (docs/architecture.md §2 step 6), by the same rules
// intake used to accept it. A ticket that cannot be read throws TicketReadFailed: the re-check
// fails closed rather than applying on an approval it could not confirm.

export interface StillApproved {
  approved: boolean;
  detail: string;
  /** The change window the ticketing system holds for the ticket, when it has one. */
  window?: { start: string; end: string };
}

export interface ServiceNowReaderOptions {
  url: string;
  username: string;
  password: string;
  http: TicketHttp;
  /** The instance's time zone, in which start_date/end_date are written (default UTC). */
  timeZone?: string;
}

const ServiceNowRecord = z.looseObject({
  number: z.string(),
  state: z.string(),
  approval: z.string(),
  start_date: z._default(z.string(), ''),
  end_date: z._default(z.string(), ''),
});
type ServiceNowRecord = z.infer<typeof ServiceNowRecord>;
const ServiceNowApproval = z.object({ result: ServiceNowRecord });
const ServiceNowQuery = z.object({ result: z.array(ServiceNowRecord) });
const fields = 'sys_id,number,state,approval,start_date,end_date';

export class ServiceNowStatusReader {
  constructor(private readonly options: ServiceNowReaderOptions) {}

  /**
   * Reads the ticket by its sys_id, or — for a manual start that names only the number people
   * see — by number. A ticket the instance does not have is "not approved", never an error.
   */
  async stillApproved(ticket: TicketRef): Promise<StillApproved> {
    const base = `${this.options.url.replace(/\/$/, '')}/api/now/table/change_request`;
    const auth = basicAuth(this.options.username, this.options.password);
    const label = ticket.number ?? ticket.key ?? '(no ticket)';
    let record: ServiceNowRecord | undefined;
    if (ticket.system === 'servicenow' && ticket.key && ticket.key !== 'none') {
      const url = `${base}/${encodeURIComponent(ticket.key)}?sysparm_fields=${fields}`;
      record = (await readOrMissing(this.options.http, ServiceNowApproval, ticket, { system: 'servicenow', url, auth }))?.result;
    } else if (ticket.system === 'servicenow' && ticket.number) {
      const url = `${base}?sysparm_query=${encodeURIComponent(`number=${ticket.number}`)}&sysparm_fields=${fields}&sysparm_limit=1`;
      record = (await read(this.options.http, ServiceNowQuery, ticket, { system: 'servicenow', url, auth })).result[0];
    } else {
      requireKey(ticket, 'servicenow');
    }
    if (!record) return { approved: false, detail: `ServiceNow has no change_request ${label}` };
    const window = serviceNowWindow(record, this.options.timeZone ?? 'UTC');
    if (record.approval !== 'approved') return { approved: false, detail: `${record.number} now has approval "${record.approval}"`, window };
    if (record.state !== '-2' && record.state !== '-1') return { approved: false, detail: `${record.number} is now in ${stateLabel(record.state)}`, window };
    return { approved: true, detail: `${record.number} is approved and in ${stateLabel(record.state)}`, window };
  }
}

function serviceNowWindow(record: ServiceNowRecord, timeZone: string): StillApproved['window'] {
  if (record.start_date === '' || record.end_date === '') return undefined;
  const start = parseInstanceTime(record.start_date, timeZone);
  const end = parseInstanceTime(record.end_date, timeZone);
  return start.ok && end.ok ? { start: start.iso, end: end.iso } : undefined;
}

export interface JiraReaderOptions {
  url: string;
  email: string;
  token: string;
  http: TicketHttp;
  approvedStatus?: string;
  /** Statuses after approval that still count as approved (e.g. "Implementing"). */
  stillApprovedStatuses?: readonly string[];
}

const JiraStatus = z.object({ fields: z.looseObject({ status: z.looseObject({ name: z.string() }) }) });

export class JiraStatusReader {
  constructor(private readonly options: JiraReaderOptions) {}

  async stillApproved(ticket: TicketRef): Promise<StillApproved> {
    // A manual start may name the issue by the key people see in either field.
    const key = ticket.system === 'jira' && ticket.key && ticket.key !== 'none' ? ticket.key : ticket.system === 'jira' && ticket.number ? ticket.number : requireKey(ticket, 'jira');
    const url = `${this.options.url.replace(/\/$/, '')}/rest/api/3/issue/${encodeURIComponent(key)}?fields=status`;
    const issue = await readOrMissing(this.options.http, JiraStatus, ticket, { system: 'jira', url, auth: basicAuth(this.options.email, this.options.token) });
    if (!issue) return { approved: false, detail: `Jira has no issue ${key}` };
    const status = issue.fields.status.name;
    const accepted = [this.options.approvedStatus ?? 'Approved', ...(this.options.stillApprovedStatuses ?? [])].map((s) => s.trim().toLowerCase());
    return accepted.includes(status.trim().toLowerCase())
      ? { approved: true, detail: `${key} is in status "${status}"` }
      : { approved: false, detail: `${key} is now in status "${status}", not "${this.options.approvedStatus ?? 'Approved'}"` };
  }
}

/** As read(), but a 404 means the ticket does not exist: undefined instead of an error. */
async function readOrMissing<T>(
  http: TicketHttp,
  schema: z.ZodMiniType<T>,
  ticket: TicketRef,
  target: { system: TicketCall['system']; url: string; auth: string },
): Promise<T | undefined> {
  try {
    return await read(http, schema, ticket, target);
  } catch (err) {
    const cause = err instanceof TicketReadFailed ? err.cause : undefined;
    if (cause instanceof TicketWriteFailed && cause.detail.status === 404) return undefined;
    throw err;
  }
}

async function read<T>(
  http: TicketHttp,
  schema: z.ZodMiniType<T>,
  ticket: TicketRef,
  target: { system: TicketCall['system']; url: string; auth: string },
): Promise<T> {
  const label = ticket.number ?? ticket.key ?? '(no ticket)';
  const system = target.system === 'servicenow' ? 'ServiceNow' : 'Jira';
  try {
    const answer = await sendWithRetry(http, {
      system: target.system,
      operation: 'read approval',
      ticket: label,
      url: target.url,
      init: { method: 'GET', headers: { accept: 'application/json', authorization: target.auth } },
    });
    const parsed = schema.safeParse(JSON.parse(answer.text));
    if (parsed.success) return parsed.data;
    throw new TicketReadFailed(`${system} answered the approval read of ${label} without the expected fields; check the user's read access — nothing is applied until approval is confirmed`);
  } catch (err) {
    if (err instanceof TicketReadFailed) throw err;
    const why = err instanceof TicketWriteFailed || err instanceof SyntaxError ? err.message : String(err);
    throw new TicketReadFailed(`could not confirm that ${label} is still approved (${why}); nothing is applied until it is — retry when ${system} answers`, { cause: err });
  }
}

function requireKey(ticket: TicketRef, system: 'servicenow' | 'jira'): string {
  if (ticket.system === system && ticket.key) return ticket.key;
  throw new TicketReadFailed(`a ${system} approval read needs a ${system} ticket with its key; got system ${ticket.system}`);
}
