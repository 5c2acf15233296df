import * as z from 'zod';
import { parseDocument } from 'yaml';
import { ChangeRequest } from './change-request.js';
import { ChangeSpec } from './change-spec.js';

// The ChangeRequest as people write it: in the Step Functions console or a POST /changes body the
// spec may be pasted as YAML (or JSON) text instead of an object. Parses to a ChangeRequest.
export const ChangeRequestDocument = ChangeRequest.extend({
  spec: z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    const doc = parseDocument(value);
    if (doc.errors.length > 0) {
      ctx.addIssue({ code: 'custom', message: `spec text is not valid YAML/JSON: ${doc.errors[0]?.message.split('\n')[0] ?? ''}` });
      return z.NEVER;
    }
    return doc.toJS() as unknown;
  }, ChangeSpec),
});

/** The request as sent, before defaults are filled in (the spec may still be text). */
export type ChangeRequestInput = z.input<typeof ChangeRequestDocument>;
