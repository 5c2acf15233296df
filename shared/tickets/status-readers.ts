import * as z from 'zod';
import type { TicketRef } from '../spec/change-request.js';
import { stateLabel } from '../intake/servicenow.js';
import { TicketReadFailed, TicketWriteFailed } from './errors.js';
import { basicAuth, sendWithRetry, type TicketCall, type TicketHttp } from './http.js';

// "Is this ticket still approved?" just before applying (docs/architecture.md §2 step 6), by the same rules
// intake used to accept it. A ticket that cannot be read throws TicketReadFailed: the re-check
// fails closed rather than applying on an approval it could not confirm.

export interface StillApproved {
  approved: boolean;
  detail: string;
}

export interface ServiceNowReaderOptions {
  url: string;
  username: string;
  password: string;
  http: TicketHttp;
}

const ServiceNowApproval = z.object({ result: z.looseObject({ number: z.string(), state: z.string(), approval: z.string() }) });

export class ServiceNowStatusReader {
  constructor(private readonly options: ServiceNowReaderOptions) {}

  async stillApproved(ticket: TicketRef): Promise<StillApproved> {
    const sysId = requireKey(ticket, 'servicenow');
    const url = `${this.options.url.replace(/\/$/, '')}/api/now/table/change_request/${encodeURIComponent(sysId)}?sysparm_fields=number,state,approval`;
    const record = (await read(this.options.http, ServiceNowApproval, ticket, { system: 'servicenow', url, auth: basicAuth(this.options.username, this.options.password) })).result;
    if (record.approval !== 'approved') return { approved: false, detail: `${record.number} now has approval "${record.approval}"` };
    if (record.state !== '-2' && record.state !== '-1') return { approved: false, detail: `${record.number} is now in ${stateLabel(record.state)}` };
    return { approved: true, detail: `${record.number} is approved and in ${stateLabel(record.state)}` };
  }
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
    const key = requireKey(ticket, 'jira');
    const url = `${this.options.url.replace(/\/$/, '')}/rest/api/3/issue/${encodeURIComponent(key)}?fields=status`;
    const status = (await read(this.options.http, JiraStatus, ticket, { system: 'jira', url, auth: basicAuth(this.options.email, this.options.token) })).fields.status.name;
    const accepted = [this.options.approvedStatus ?? 'Approved', ...(this.options.stillApprovedStatuses ?? [])].map((s) => s.trim().toLowerCase());
    return accepted.includes(status.trim().toLowerCase())
      ? { approved: true, detail: `${key} is in status "${status}"` }
      : { approved: false, detail: `${key} is now in status "${status}", not "${this.options.approvedStatus ?? 'Approved'}"` };
  }
}

async function read<T>(
  http: TicketHttp,
  schema: z.ZodType<T>,
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
