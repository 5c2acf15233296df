import * as z from '../zod.js';
import { approvalInComment } from './approval.js';

// What a ticket update asks of the change it started (docs/architecture.md §3.7): a ServiceNow
// work note or a Jira comment `/approve <planHash>` by an approver approves the waiting plan; a
// ticket cancelled or closed while its change runs aborts it; an approver putting the ticket into
// the configured implement state approves the plan that is waiting (there is no hash to name: the
// ticket's state is the approval). Pure: the webhook handler has verified the signature and finds
// the change.

export type TicketAsk =
  | { kind: 'approve'; ticket: string; by: string; planHashPrefix: string; text: string }
  | { kind: 'approve-state'; ticket: string; by: string; state: string }
  | { kind: 'abort'; ticket: string; by: string; reason: string }
  | { kind: 'none' };

const ServiceNowUpdate = z.looseObject({
  number: z.optional(z.string()),
  sys_id: z.string(),
  state: z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(String))),
  work_notes: z.optional(z.string()),
  sys_updated_by: z.optional(z.string()),
});

// ServiceNow change_request states: 3 Closed, 4 Canceled.
const serviceNowEnded: Record<string, string> = { '3': 'closed', '4': 'cancelled' };

export function serviceNowAsk(body: unknown, implementState?: string): TicketAsk {
  const record = ServiceNowUpdate.safeParse(body);
  if (!record.success) return { kind: 'none' };
  const { number, sys_id: sysId, state, work_notes: notes, sys_updated_by: by = 'servicenow' } = record.data;
  const ticket = number ?? sysId;
  const ended = state === undefined ? undefined : serviceNowEnded[state];
  if (ended) return { kind: 'abort', ticket, by, reason: `ticket ${ticket} was ${ended} in ServiceNow` };
  const note = approveAsk(ticket, by, notes);
  // A note that names a hash says more than the state it was written in.
  if (note.kind === 'none' && implementState !== undefined && state === implementState) return { kind: 'approve-state', ticket, by, state };
  return note;
}

const JiraText: z.ZodMiniType<string> = z.union([z.string(), z.pipe(z.unknown(), z.transform(adfText))]);
const JiraUpdate = z.looseObject({
  webhookEvent: z.string(),
  issue: z.looseObject({ key: z.string() }),
  comment: z.optional(z.looseObject({ body: JiraText, author: z.optional(z.looseObject({ emailAddress: z.optional(z.string()), displayName: z.optional(z.string()), accountId: z.optional(z.string()) })) })),
  user: z.optional(z.looseObject({ emailAddress: z.optional(z.string()), displayName: z.optional(z.string()) })),
  changelog: z.optional(z.looseObject({ items: z.array(z.looseObject({ field: z.string(), toString: z.optional(z.nullable(z.string())) })) })),
});

const jiraEnded = new Set(['cancelled', 'canceled', 'closed', 'declined', "won't do"]);

export function jiraAsk(body: unknown, implementStatus?: string): TicketAsk {
  const hook = JiraUpdate.safeParse(body);
  if (!hook.success) return { kind: 'none' };
  const { issue, comment, changelog, user } = hook.data;
  const mover = user?.emailAddress ?? user?.displayName ?? 'jira';
  const statusTo = (changelog?.items ?? []).filter((i) => i.field === 'status').map((i) => i.toString ?? '');
  const ended = statusTo.find((to) => jiraEnded.has(to.toLowerCase()));
  if (ended !== undefined) return { kind: 'abort', ticket: issue.key, by: mover, reason: `issue ${issue.key} moved to ${ended} in Jira` };
  // Jira says what the status moved to (the changelog), so only the move approves, not any later edit.
  const implement = implementStatus === undefined ? undefined : statusTo.find((to) => to.toLowerCase() === implementStatus.toLowerCase());
  if (implement !== undefined) return { kind: 'approve-state', ticket: issue.key, by: mover, state: implement };
  if (!comment) return { kind: 'none' };
  const author = comment.author?.emailAddress ?? comment.author?.displayName ?? comment.author?.accountId ?? 'jira';
  return approveAsk(issue.key, author, comment.body);
}

function approveAsk(ticket: string, by: string, text: string | undefined): TicketAsk {
  const match = text === undefined ? null : /(?:^|\n)\s*\/approve\s+([0-9a-f]{12,64})\b/i.exec(text);
  if (!match?.[1] || text === undefined) return { kind: 'none' };
  return { kind: 'approve', ticket, by, planHashPrefix: match[1].toLowerCase(), text };
}

/** The plan hash a ticket approval names, when it names the waiting one (full hash or its first 12+). */
export function resolvePlanHash(ask: Extract<TicketAsk, { kind: 'approve' }>, waiting: string | undefined): string | undefined {
  if (!waiting) return undefined;
  return approvalInComment(`/approve ${ask.planHashPrefix}`, waiting) === 'approves' ? waiting : undefined;
}

/** Plain text of an Atlassian Document Format body (Jira REST v3 comments). */
function adfText(node: unknown): string {
  if (node === null || typeof node !== 'object') return '';
  const { text, content, type } = node as { text?: unknown; content?: unknown; type?: unknown };
  const own = typeof text === 'string' ? text : '';
  const children = Array.isArray(content) ? content.map(adfText).join(type === 'doc' ? '\n' : '') : '';
  return own + children;
}
