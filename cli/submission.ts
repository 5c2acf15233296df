import { parseDocument } from 'yaml';
import { signDelivery } from '../shared/intake/signature.js';
import { parseChangeDocumentText, type ChangeRequestInput, type SpecIssue } from '../shared/spec/index.js';
import { ticketKind } from '../shared/intake/ticket-document.js';
import { localCallerHeader } from '../shared/intake/headers.js';

// What `changeflow submit FILE` sends for each kind of file it accepts: a ServiceNow change_request
// or a Jira webhook is signed the way the ticketing system would sign it and goes to its webhook;
// a ChangeSpec (or a whole ChangeRequest) is a manual start on POST /changes.

export type SubmissionKind = 'servicenow' | 'jira' | 'changeSpec' | 'changeRequest';

export interface Submission {
  kind: SubmissionKind;
  path: '/webhooks/servicenow' | '/webhooks/jira' | '/changes';
  /** Sent byte for byte: for tickets, the file exactly as read, since the signature covers it. */
  body: string;
  headers: Record<string, string>;
  /** Manual starts: the spec's mode, so the CLI knows an apply is asked for. */
  mode?: 'apply' | 'plan-only';
}

export type SubmissionResult = { ok: true; submission: Submission } | { ok: false; issues: SpecIssue[] };

export interface SubmissionInput {
  text: string;
  /** Needed for tickets only. */
  webhookSecret?: string;
  requestedBy: string;
  now: Date;
  idempotencyKey?: string;
  /** Manual starts only: send the spec with this mode instead (the preview before a confirmed apply). */
  mode?: 'plan-only';
}

const jsonType = { 'content-type': 'application/json' };


export function buildSubmission(input: SubmissionInput): SubmissionResult {
  const doc = readMapping(input.text);
  const kind = doc ? ticketKind(doc) : undefined;
  if (kind) {
    if (!input.webhookSecret) {
      return fail('', 'a ticket is signed with the webhook secret: start `changeflow dev` (endpoints.json has it) or set CHANGEFLOW_WEBHOOK_SECRET');
    }
    // JSON tickets keep their bytes; a ticket written as YAML is sent as the JSON it means.
    const body = isJsonText(input.text) ? input.text : JSON.stringify(doc);
    return {
      ok: true,
      submission: {
        kind,
        path: kind === 'servicenow' ? '/webhooks/servicenow' : '/webhooks/jira',
        body,
        headers: { ...jsonType, ...signDelivery(input.webhookSecret, body, input.now) },
      },
    };
  }
  const parsed = parseChangeDocumentText(input.text);
  if (!parsed.ok) return parsed;
  const idempotency: Record<string, string> = input.idempotencyKey ? { 'idempotency-key': input.idempotencyKey } : {};
  // The local API records this operator as the caller; AWS takes the SigV4 principal instead.
  const caller: Record<string, string> = { [localCallerHeader]: input.requestedBy };
  const mode = input.mode ?? parsed.spec.mode;
  if (parsed.request) {
    // A ChangeRequest file is posted as written: the server applies the same defaults.
    const body = input.mode ? { ...doc, spec: withMode(doc?.['spec'], input.mode) } : doc;
    return { ok: true, submission: { kind: 'changeRequest', path: '/changes', body: JSON.stringify(body), headers: { ...jsonType, ...idempotency, ...caller }, mode } };
  }
  // The spec goes as written (the server fills defaults the same way it would from the console).
  const spec = input.mode ? withMode(doc, input.mode) : (doc ?? parsed.spec);
  const request: ChangeRequestInput = { source: 'cli', ticket: { system: 'none' }, requestedBy: input.requestedBy, spec };
  return { ok: true, submission: { kind: 'changeSpec', path: '/changes', body: JSON.stringify(request), headers: { ...jsonType, ...idempotency, ...caller }, mode } };
}

/** The spec as written (an object, or YAML text inside a ChangeRequest) with another mode. */
function withMode(spec: unknown, mode: 'plan-only'): Record<string, unknown> {
  const mapping = typeof spec === 'string' ? readMapping(spec) : spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : undefined;
  return { ...mapping, mode };
}

function readMapping(text: string): Record<string, unknown> | undefined {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  const data: unknown = doc.toJS();
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (err) {
    if (err instanceof SyntaxError) return false;
    throw err;
  }
}

function fail(path: string, message: string): SubmissionResult {
  return { ok: false, issues: [{ path, message }] };
}
