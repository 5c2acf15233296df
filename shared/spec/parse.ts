import type { z } from 'zod';
import { parseDocument } from 'yaml';
import { ChangeSpec } from './change-spec.js';

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
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return { path: formatPath(issue.path), message: `required field is missing (${issue.message.replace(/^Invalid input: /, '')})` };
    }
    return { path: formatPath(issue.path), message: issue.message.replace(/^Invalid input: /, '') };
  });
}

export function parseChangeSpec(input: unknown): SpecResult {
  const result = ChangeSpec.safeParse(input);
  return result.success ? { ok: true, spec: result.data } : { ok: false, issues: issuesFromZod(result.error) };
}

/** Parses YAML or JSON text (JSON is YAML) and validates it. */
export function parseChangeSpecText(text: string): SpecResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({ path: '', message: `not valid YAML/JSON: ${e.message.split('\n')[0] ?? e.message}` })),
    };
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ path: '', message: 'expected a ChangeSpec document (a mapping with apiVersion, kind, target, aci, changes)' }] };
  }
  return parseChangeSpec(data);
}
