import type { ChangeWindow } from '../spec/change-request.js';
import type { Admission } from './admission.js';
import type { IntakeConfig } from './config.js';
import { invalidTicket, type Refusal } from './delivery-verdict.js';
import { executionName } from './execution-name.js';
import { jiraApproval, jiraDeliveryKey, jiraSpecText, JiraWebhook, statusChange } from './jira.js';
import { signatureWindowSeconds, type SignatureScheme } from './signature.js';
import { windowEnded } from './ticket-spec.js';

// Jira date-time fields read "2026-11-22T08:00:00.000+0000"; an offset is required so that the
// instant never depends on the clock zone of the machine running intake.
const jiraDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A Jira webhook delivery → its admission (the signature has already been checked; no YAML yet).
 * Under X-Hub-Signature the body's `timestamp` is the only signed time, so it must fall inside the
 * same ±300 s window as the changeflow timestamp header; with that header, the header bounds it.
 */
export function admitJira(body: unknown, scheme: SignatureScheme, config: IntakeConfig, now: Date): Admission {
  const parsed = JiraWebhook.safeParse(body);
  if (!parsed.success) return invalidTicket('a Jira issue webhook', parsed.error);
  const hook = parsed.data;
  if (scheme === 'hub') {
    const stale = staleBody(hook, now);
    if (stale) return stale;
  }
  const status = statusChange(hook);
  if (status && hook.changelog?.id === undefined) {
    return {
      kind: 'refused',
      httpStatus: 400,
      code: 'InvalidTicket',
      message: `${hook.issue.key}: a status change without changelog.id cannot be told apart from a replay of it; Jira always sends the changelog id — check the webhook's payload`,
      issues: [{ path: 'changelog.id', message: 'required when the changelog changes the status' }],
    };
  }
  const deliveryKey = jiraDeliveryKey(hook);
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
  const window = jiraWindow(hook, config);
  if (!window.ok) return { ...window.verdict, deliveryKey };
  const ended = windowEnded(window.window, now);
  if (ended) return { kind: 'ignored', reason: `${hook.issue.key}: ${ended}`, deliveryKey };
  // An approval is a status change, which was refused above without its changelog id.
  const revision = hook.changelog?.id ?? 'none';
  return {
    kind: 'admitted',
    deliveryKey,
    executionName: executionName('jira', hook.issue.key, revision),
    envelope: {
      source: 'jira',
      ticket: { system: 'jira', key: hook.issue.key, number: hook.issue.key, revision },
      requestedBy: requester(hook),
      ...(window.window ? { window: window.window } : {}),
    },
    specSource: specText.source,
    specText: specText.text,
  };
}

function staleBody(hook: JiraWebhook, now: Date): Refusal | undefined {
  if (hook.timestamp === undefined) {
    return { kind: 'refused', httpStatus: 401, code: 'TimestampOutOfWindow', message: 'expected the body\'s timestamp (ms since the epoch) under X-Hub-Signature, found none; it bounds how long a captured delivery can be replayed' };
  }
  const skew = Math.round((now.getTime() - hook.timestamp) / 1000);
  if (Math.abs(skew) <= signatureWindowSeconds) return undefined;
  return {
    kind: 'refused',
    httpStatus: 401,
    code: 'TimestampOutOfWindow',
    message: `expected the body's timestamp within ±${signatureWindowSeconds} s of now, found ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}; a captured delivery is not accepted again — check Jira's clock or resend`,
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

type WindowResult = { ok: true; window: ChangeWindow | undefined } | { ok: false; verdict: Refusal };

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
