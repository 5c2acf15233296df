import * as z from '../zod.js';
import { ChangeRequest } from './change-request.js';
import { ChangeSpec } from './change-spec.js';
import { readYamlData } from './yaml-document.js';

// The ChangeRequest as people write it: in the Step Functions console or a POST /changes body the
// spec may be pasted as YAML (or JSON) text instead of an object. Parses to a ChangeRequest.
export const ChangeRequestDocument = z.extend(ChangeRequest, {
  spec: z.pipe(z.transform((value: unknown, ctx) => {
    if (typeof value !== 'string') return value;
    const doc = readYamlData(value);
    if (doc.ok) return doc.data;
    // Issue paths are inside the spec text; the issue itself sits at `spec`.
    for (const issue of doc.issues) ctx.issues.push({ code: 'custom', input: value, message: `spec text: ${issue.path ? `${issue.path}: ` : ''}${issue.message}` });
    return z.NEVER;
  }), ChangeSpec),
});

/** The request as sent, before defaults are filled in (the spec may still be text). */
export type ChangeRequestInput = z.input<typeof ChangeRequestDocument>;
