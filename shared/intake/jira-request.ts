import type { ChangeWindow } from '../spec/change-request.js';
import type { IntakeConfig } from './config.js';
import { invalidTicket, type DeliveryVerdict } from './delivery-verdict.js';
import { executionName } from './execution-name.js';
import type { DeliveryHeaders } from './headers.js';
import { jiraApproval, jiraDeliveryKey, jiraSpecText, JiraWebhook } from './jira.js';
import { specFromTicket, windowEnded } from './ticket-spec.js';

// Jira date-time fields read "2026-11-22T08:00:00.000+0000"; an offset is required so that the
// instant never depends on the clock zone of the machine running intake.
const jiraDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A Jira webhook delivery → its verdict (the signature has already been checked). */
export function evaluateJira(
  body: unknown,
  headers: DeliveryHeaders,
  rawBody: string | Uint8Array,
  config: IntakeConfig,
  now: Date,
): DeliveryVerdict {
  const parsed = JiraWebhook.safeParse(body);
  if (!parsed.success) return invalidTicket('a Jira issue webhook', parsed.error);
  const hook = parsed.data;
  const deliveryKey = jiraDeliveryKey(hook, headers, rawBody);
  const approval = jiraApproval(hook, config.jiraApprovedStatus);
  if (!approval.approved) return { kind: 'ignored', reason: approval.reason, deliveryKey };
  const specText = jiraSpecText(hook, config.jiraSpecField);
  if (!specText) {
    return {
      kind: 'ignored',
      reason: `${hook.issue.key} is approved but has no ChangeSpec (field ${config.jiraSpecField} empty, no \`\`\`yaml block in the description)`,
      deliveryKey,
    };
  }
  const spec = specFromTicket(specText.source, specText.text);
  if (!spec.ok) return { ...spec.verdict, deliveryKey };
  const window = jiraWindow(hook, config);
  if (!window.ok) return { ...window.verdict, deliveryKey };
  const ended = windowEnded(window.window, now);
  if (ended) return { kind: 'ignored', reason: `${hook.issue.key}: ${ended}`, deliveryKey };
  const revision = hook.changelog?.id ?? deliveryKey.slice(deliveryKey.lastIndexOf(':') + 1);
  return {
    kind: 'accepted',
    deliveryKey,
    executionName: executionName('jira', hook.issue.key, revision),
    request: {
      source: 'jira',
      ticket: { system: 'jira', key: hook.issue.key, number: hook.issue.key, revision: revision.slice(0, 64) },
      requestedBy: requester(hook),
      ...(window.window ? { window: window.window } : {}),
      spec: spec.spec,
    },
  };
}

function requester(hook: JiraWebhook): string {
  const reporter = (hook.issue.fields as Record<string, unknown>).reporter;
  const person = typeof reporter === 'object' && reporter !== null ? (reporter as Record<string, unknown>) : hook.user ?? {};
  for (const key of ['emailAddress', 'displayName', 'accountId']) {
    const value = person[key];
    if (typeof value === 'string' && value.trim() !== '') return value.slice(0, 256);
  }
  return 'jira';
}

type WindowResult = { ok: true; window: ChangeWindow | undefined } | { ok: false; verdict: DeliveryVerdict };

function jiraWindow(hook: JiraWebhook, config: IntakeConfig): WindowResult {
  if (!config.jiraWindowFields) return { ok: true, window: undefined };
  const fields = hook.issue.fields as Record<string, unknown>;
  const { start: startField, end: endField } = config.jiraWindowFields;
  const start = fields[startField];
  const end = fields[endField];
  if ((start === undefined || start === null) && (end === undefined || end === null)) return { ok: true, window: undefined };
  const issues: Array<{ path: string; message: string }> = [];
  const read = (value: unknown, field: string): number => {
    if (typeof value === 'string' && jiraDateTime.test(value) && !Number.isNaN(Date.parse(value))) return Date.parse(value);
    issues.push({ path: `fields.${field}`, message: `expected a date-time with offset like 2026-11-22T08:00:00.000+0000, found ${JSON.stringify(value)?.slice(0, 60)}` });
    return NaN;
  };
  const startMs = read(start, startField);
  const endMs = read(end, endField);
  if (issues.length === 0 && endMs <= startMs) issues.push({ path: `fields.${endField}`, message: 'the window must end after it starts' });
  if (issues.length > 0) {
    return {
      ok: false,
      verdict: {
        kind: 'refused',
        httpStatus: 400,
        code: 'InvalidWindow',
        message: `${hook.issue.key} has an unusable change window: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      },
    };
  }
  return { ok: true, window: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() } };
}
