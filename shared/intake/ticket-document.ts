import { parseJsonText } from '../json-text.js';
import { JiraWebhook, jiraSpecText } from './jira.js';

// A ticket document as people save it (a ServiceNow change_request record, a Jira webhook body)
// and the ChangeSpec text inside it, found where intake finds it — so `changeflow validate` and
// `submit` judge a ticket file as the webhook would.

export type TicketSystem = 'servicenow' | 'jira';

/** ServiceNow's record has sys_id and a number; Jira's webhook has webhookEvent and an issue. */
export function ticketKind(doc: Record<string, unknown>): TicketSystem | undefined {
  if (typeof doc['sys_id'] === 'string' && ('u_change_spec' in doc || 'number' in doc)) return 'servicenow';
  if (typeof doc['webhookEvent'] === 'string' && typeof doc['issue'] === 'object' && doc['issue'] !== null) return 'jira';
  return undefined;
}

export type TicketSpec =
  | { kind: 'not-a-ticket' }
  | { kind: 'ticket'; system: TicketSystem; source: string; text: string }
  | { kind: 'no-spec'; system: TicketSystem; message: string };

/** The ChangeSpec text of a ticket document, or why there is none. */
export function ticketSpecText(text: string, jiraSpecField = 'changeSpec'): TicketSpec {
  // Not JSON (undefined) is a ChangeSpec in YAML, not a ticket.
  const doc = parseJsonText(text);
  if (doc === undefined || doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { kind: 'not-a-ticket' };
  const system = ticketKind(doc as Record<string, unknown>);
  if (!system) return { kind: 'not-a-ticket' };
  if (system === 'servicenow') {
    const spec = (doc as Record<string, unknown>)['u_change_spec'];
    return typeof spec === 'string' && spec.trim() !== ''
      ? { kind: 'ticket', system, source: 'u_change_spec', text: spec }
      : { kind: 'no-spec', system, message: 'the ServiceNow record has no ChangeSpec: put it in the u_change_spec field' };
  }
  const hook = JiraWebhook.safeParse(doc);
  const found = hook.success ? jiraSpecText(hook.data, jiraSpecField) : undefined;
  return found
    ? { kind: 'ticket', system, source: found.source, text: found.text }
    : { kind: 'no-spec', system, message: `the Jira issue has no ChangeSpec: put it in the ${jiraSpecField} field or a \`\`\`yaml block of the description` };
}
