import type { z } from 'zod';
import { parseDocument } from 'yaml';
import { ChangeSpec } from './change-spec.js';
import { ChangeRequest } from './change-request.js';

// Turns text or parsed data into a ChangeSpec, or into issues that each name a JSON path
// (`changes[1].blocks[0]`) and say in a sentence what is wrong.

export interface SpecIssue {
  readonly path: string;
  readonly message: string;
}

export type SpecResult = { ok: true; spec: ChangeSpec } | { ok: false; issues: SpecIssue[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_$][\w$-]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return `the text "${input.length > 40 ? `${input.slice(0, 40)}…` : input}"`;
  if (Array.isArray(input)) return 'a list';
  if (input === null) return 'null';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}

export function issuesFromZod(error: z.ZodError): SpecIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      const first = issue.keys[0] ?? '';
      return {
        path: formatPath([...issue.path, first]),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}: check the spelling against ChangeSpec v1`,
      };
    }
    if (issue.code === 'invalid_type') {
      const expected = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
      // `input` is only there when the parse asked for it (reportInput); without it we cannot
      // tell a missing field from a wrong one, so say only what was expected.
      if (!('input' in issue)) return { path: formatPath(issue.path), message: expected };
      if (issue.input === undefined) return { path: formatPath(issue.path), message: `required field is missing (${expected})` };
      return { path: formatPath(issue.path), message: `${expected}; got ${describeInput(issue.input)}` };
    }
    return { path: formatPath(issue.path), message: issue.message.replace(/^Invalid input: /, '') };
  });
}

export function parseChangeSpec(input: unknown): SpecResult {
  const result = ChangeSpec.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, spec: result.data } : { ok: false, issues: issuesFromZod(result.error) };
}

type DocumentResult = { ok: true; data: object } | { ok: false; issues: SpecIssue[] };

// JSON is YAML, so one reader serves both; duplicate keys are refused because the later one
// would silently win.
function readDocument(text: string): DocumentResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({ path: '', message: `not valid YAML/JSON: ${(e.message.split('\n')[0] ?? e.message).replace(/:$/, '')}` })),
    };
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ path: '', message: 'expected a ChangeSpec document (a mapping with apiVersion, kind, target, aci, changes)' }] };
  }
  return { ok: true, data };
}

/** Parses YAML or JSON text (JSON is YAML) and validates it. */
export function parseChangeSpecText(text: string): SpecResult {
  const doc = readDocument(text);
  return doc.ok ? parseChangeSpec(doc.data) : doc;
}

export type RequestResult = { ok: true; request: ChangeRequest } | { ok: false; issues: SpecIssue[] };

export function parseChangeRequest(input: unknown): RequestResult {
  const result = ChangeRequest.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, request: result.data } : { ok: false, issues: issuesFromZod(result.error) };
}

export type ChangeDocumentResult =
  | { ok: true; spec: ChangeSpec; request?: ChangeRequest }
  | { ok: false; issues: SpecIssue[] };

/**
 * Reads either document a person may hold: a ChangeSpec, or a ChangeRequest (the `POST /changes`
 * body, recognised by its `spec` field and no `apiVersion`) whose issue paths start at `spec.`.
 */
export function parseChangeDocumentText(text: string): ChangeDocumentResult {
  const doc = readDocument(text);
  if (!doc.ok) return doc;
  if ('spec' in doc.data && !('apiVersion' in doc.data)) {
    const result = parseChangeRequest(doc.data);
    return result.ok ? { ok: true, spec: result.request.spec, request: result.request } : result;
  }
  return parseChangeSpec(doc.data);
}
