import * as z from '../zod.js';
import type { TicketRef } from '../spec/change-request.js';
import { TicketWriteFailed } from './errors.js';
import { basicAuth, sendWithRetry, type TicketAnswer, type TicketHttp } from './http.js';
import type { CloseOutcome, TicketPhase, TicketWriter } from './writer.js';

// ServiceNow write-back over the Table API (reference/aws.md §2): work notes by PATCH, and a close
// that walks the state model one step at a time, because the instance refuses jumps (-1 → 3).

export interface ServiceNowWriterOptions {
  /** Instance base URL, e.g. https://example.service-now.com */
  url: string;
  username: string;
  password: string;
  http: TicketHttp;
}

/** The steps from each state to Closed; a close that was interrupted resumes where it stopped. */
const walkToClosed: Readonly<Record<string, readonly string[]>> = {
  '-2': ['-1', '0', '3'],
  '-1': ['0', '3'],
  '0': ['3'],
  '3': [],
};

const RecordAnswer = z.object({ result: z.looseObject({ state: z.string(), number: z.optional(z.string()) }) });

export class ServiceNowTicketWriter implements TicketWriter {
  constructor(private readonly options: ServiceNowWriterOptions) {}

  async note(ticket: TicketRef, phase: TicketPhase, text: string): Promise<void> {
    const sysId = this.sysId(ticket, `work note (${phase})`);
    await this.patch(ticket, sysId, `work note (${phase})`, { work_notes: text });
  }

  async close(ticket: TicketRef, outcome: CloseOutcome, notes: string): Promise<void> {
    const sysId = this.sysId(ticket, 'close');
    const current = this.record(await this.send(ticket, 'read state', 'GET', sysId), ticket, 'read state');
    const steps = walkToClosed[current.state];
    if (!steps) {
      throw new TicketWriteFailed(
        `ServiceNow close of ${label(ticket)} cannot start from state ${current.state}: changeflow closes only from Scheduled (-2), Implement (-1) or Review (0); close or cancel it by hand`,
        { system: 'servicenow', operation: 'close', ticket: label(ticket), attempts: 1 },
      );
    }
    for (const state of steps) {
      const body: Record<string, string> = state === '3' ? { state, close_code: outcome, close_notes: notes } : { state };
      await this.patch(ticket, sysId, `move to state ${state}`, body, state);
    }
  }

  private async patch(ticket: TicketRef, sysId: string, operation: string, body: Record<string, string>, expectState?: string): Promise<void> {
    const answer = await this.send(ticket, operation, 'PATCH', sysId, body);
    if (expectState === undefined) return;
    // Some instances answer 200 and silently keep the old state when a business rule vetoes it.
    const record = this.record(answer, ticket, operation);
    if (record.state !== expectState) {
      throw new TicketWriteFailed(
        `ServiceNow accepted the ${operation} of ${label(ticket)} but the record stayed in state ${record.state}; a business rule or the state model vetoed it — finish the close by hand`,
        { system: 'servicenow', operation, ticket: label(ticket), attempts: 1, status: answer.status },
      );
    }
  }

  private send(ticket: TicketRef, operation: string, method: 'GET' | 'PATCH', sysId: string, body?: Record<string, string>): Promise<TicketAnswer> {
    const url = `${this.options.url.replace(/\/$/, '')}/api/now/table/change_request/${encodeURIComponent(sysId)}?sysparm_fields=sys_id,number,state`;
    return sendWithRetry(this.options.http, {
      system: 'servicenow',
      operation,
      ticket: label(ticket),
      url,
      init: {
        method,
        headers: {
          accept: 'application/json',
          authorization: basicAuth(this.options.username, this.options.password),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      },
    });
  }

  private record(answer: TicketAnswer, ticket: TicketRef, operation: string): z.infer<typeof RecordAnswer>['result'] {
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch (err) {
      throw new TicketWriteFailed(
        `ServiceNow ${operation} of ${label(ticket)} answered ${answer.status} with a body that is not JSON (${(err as Error).message}); check the instance URL`,
        { system: 'servicenow', operation, ticket: label(ticket), attempts: 1, status: answer.status },
      );
    }
    const parsed = RecordAnswer.safeParse(json);
    if (!parsed.success) {
      throw new TicketWriteFailed(
        `ServiceNow ${operation} of ${label(ticket)} answered without {result: {state}}; check the instance URL and the user's read access to change_request.state`,
        { system: 'servicenow', operation, ticket: label(ticket), attempts: 1, status: answer.status },
      );
    }
    return parsed.data.result;
  }

  private sysId(ticket: TicketRef, operation: string): string {
    if (ticket.system === 'servicenow' && ticket.key) return ticket.key;
    throw new TicketWriteFailed(`ServiceNow ${operation} needs a ServiceNow ticket with its sys_id as key; got system ${ticket.system}`, {
      system: 'servicenow',
      operation,
      ticket: label(ticket),
      attempts: 0,
    });
  }
}

function label(ticket: TicketRef): string {
  return ticket.number ?? ticket.key ?? '(no ticket)';
}
