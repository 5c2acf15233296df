import * as z from '../zod.js';
import type { TicketRef } from '../spec/change-request.js';
import { adfDocument } from './adf.js';
import { TicketWriteFailed } from './errors.js';
import { basicAuth, sendWithRetry, type TicketAnswer, type TicketHttp } from './http.js';
import type { CloseOutcome, TicketPhase, TicketWriter } from './writer.js';

// Jira write-back over REST v3: a comment per phase, and at the end a comment plus the transition
// whose name (or target status) matches the configured done / failed name.

export interface JiraWriterOptions {
  /** Site base URL, e.g. https://example.atlassian.net */
  url: string;
  email: string;
  token: string;
  http: TicketHttp;
  doneTransition?: string;
  failedTransition?: string;
}

const Transitions = z.object({
  transitions: z.array(z.looseObject({ id: z.string(), name: z.string(), to: z.optional(z.looseObject({ name: z.string() })) })),
});
const IssueStatus = z.object({ fields: z.looseObject({ status: z.looseObject({ name: z.string() }) }) });

export class JiraTicketWriter implements TicketWriter {
  constructor(private readonly options: JiraWriterOptions) {}

  async note(ticket: TicketRef, phase: TicketPhase, text: string): Promise<void> {
    const key = this.issueKey(ticket, `comment (${phase})`);
    await this.send(key, `comment (${phase})`, 'POST', `/comment`, { body: adfDocument(text) });
  }

  async close(ticket: TicketRef, outcome: CloseOutcome, notes: string): Promise<void> {
    const key = this.issueKey(ticket, 'close');
    const wanted = outcome === 'unsuccessful' ? (this.options.failedTransition ?? 'Failed') : (this.options.doneTransition ?? 'Done');
    await this.send(key, 'close comment', 'POST', '/comment', { body: adfDocument(notes) });
    const available = this.parse(Transitions, await this.send(key, 'list transitions', 'GET', '/transitions'), key, 'list transitions');
    const match = (name: string | undefined): boolean => name?.trim().toLowerCase() === wanted.trim().toLowerCase();
    const transition = available.transitions.find((t) => match(t.name)) ?? available.transitions.find((t) => match(t.to?.name));
    if (transition) {
      await this.send(key, `transition "${transition.name}"`, 'POST', '/transitions', { transition: { id: transition.id } });
      return;
    }
    // A repeated close finds the issue already there: nothing left to do.
    const issue = this.parse(IssueStatus, await this.send(key, 'read status', 'GET', '?fields=status'), key, 'read status');
    if (match(issue.fields.status.name)) return;
    throw new TicketWriteFailed(
      `Jira has no transition "${wanted}" from status "${issue.fields.status.name}" on ${key} (available: ${available.transitions.map((t) => t.name).join(', ') || 'none'}); set the ${outcome === 'unsuccessful' ? 'failed' : 'done'} transition name in the Jira settings or move the issue by hand`,
      { system: 'jira', operation: 'close', ticket: key, attempts: 1 },
    );
  }

  private send(key: string, operation: string, method: 'GET' | 'POST', suffix: string, body?: unknown): Promise<TicketAnswer> {
    return sendWithRetry(this.options.http, {
      system: 'jira',
      operation,
      ticket: key,
      url: `${this.options.url.replace(/\/$/, '')}/rest/api/3/issue/${encodeURIComponent(key)}${suffix}`,
      init: {
        method,
        headers: {
          accept: 'application/json',
          authorization: basicAuth(this.options.email, this.options.token),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    });
  }

  private parse<T>(schema: z.ZodMiniType<T>, answer: TicketAnswer, key: string, operation: string): T {
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch (err) {
      json = (err as Error).message;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw new TicketWriteFailed(`Jira ${operation} on ${key} answered ${answer.status} with an unexpected body; check the site URL`, {
      system: 'jira',
      operation,
      ticket: key,
      attempts: 1,
      status: answer.status,
    });
  }

  private issueKey(ticket: TicketRef, operation: string): string {
    if (ticket.system === 'jira' && ticket.key) return ticket.key;
    throw new TicketWriteFailed(`Jira ${operation} needs a Jira ticket with its issue key; got system ${ticket.system}`, {
      system: 'jira',
      operation,
      ticket: ticket.key ?? '(no ticket)',
      attempts: 0,
    });
  }
}
