import type * as z from '../shared/zod.js';
import { formatPath, issuesFromZod } from '../shared/spec/issues.js';

// Zod issues of a task input or the agent config as one line each (`commands[0].type: …`). The
// shared wording points unknown fields at ChangeSpec v1, right only inside a verify command's
// spec; elsewhere the field is simply not part of the document being read.
export function describeInputIssues(error: z.core.$ZodError, document: string): string[] {
  const shared = issuesFromZod(error);
  return error.issues.map((issue, i) => {
    const described = shared[i] ?? { path: formatPath(issue.path), message: issue.message };
    if (issue.code !== 'unrecognized_keys' || issue.path.includes('spec')) return `${described.path}: ${described.message}`;
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${described.path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}: ${document} has no such field`;
  });
}
