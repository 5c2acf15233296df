import { ChangeSpec } from './change-spec.js';
import type { ChangeRequest } from './change-request.js';
import { ChangeRequestDocument } from './change-request-document.js';
import { readYamlData } from './yaml-document.js';

import { formatPath, issuesFromZod, type SpecIssue } from './issues.js';

export { formatPath, issuesFromZod, type SpecIssue };

// Turns text or parsed data into a ChangeSpec, or into issues that each name a JSON path
// (`changes[1].blocks[0]`) and say in a sentence what is wrong.

export type SpecResult = { ok: true; spec: ChangeSpec } | { ok: false; issues: SpecIssue[] };

export function parseChangeSpec(input: unknown): SpecResult {
  const result = ChangeSpec.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, spec: result.data } : { ok: false, issues: issuesFromZod(result.error) };
}

type DocumentResult = { ok: true; data: object } | { ok: false; issues: SpecIssue[] };

// JSON is YAML, so one reader serves both (yaml-document.ts: no aliases, tags or duplicate keys).
function readDocument(text: string): DocumentResult {
  const doc = readYamlData(text);
  if (!doc.ok) return doc;
  const data = doc.data;
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
  const result = ChangeRequestDocument.safeParse(input, { reportInput: true });
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
