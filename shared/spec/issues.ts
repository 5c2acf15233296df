import type * as z from '../zod.js';

// zod issues as a network engineer reads them: a JSON path (`changes[1].blocks[0]`) and a
// sentence. Kept apart from the YAML parsing so that code which only validates (every Lambda
// step) does not carry a YAML parser in its bundle.

export interface SpecIssue {
  readonly path: string;
  readonly message: string;
}

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

// What someone typed under a password field may be the password itself: name its type only.
const secretField = /password|secret/i;

function describeInput(input: unknown, path: ReadonlyArray<PropertyKey>): string {
  if (typeof input === 'string' && path.some((p) => typeof p === 'string' && secretField.test(p))) return 'a text (not shown: it may be the password itself)';
  if (typeof input === 'string') return `the text "${input.length > 40 ? `${input.slice(0, 40)}…` : input}"`;
  if (Array.isArray(input)) return 'a list';
  if (input === null) return 'null';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}

export function issuesFromZod(error: z.core.$ZodError): SpecIssue[] {
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
      return { path: formatPath(issue.path), message: `${expected}; got ${describeInput(issue.input, issue.path)}` };
    }
    return { path: formatPath(issue.path), message: issue.message.replace(/^Invalid input: /, '') };
  });
}

