import * as z from '../zod.js';
import { ChangeSpec } from './change-spec.js';

// The document that starts a change (docs/architecture.md §3.2): what a webhook is normalised to, what
// `POST /changes` and the CLI send, and what a person pastes as the execution input in the
// Step Functions console. Stored requests and execution inputs carry the spec as an object; where
// people send text (POST /changes, the CLI), change-request-document.ts also accepts it as YAML.

export const TicketRef = z.strictObject({
    system: z.enum(['servicenow', 'jira', 'none']),
    key: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    number: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    revision: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  }).check(z.refine((t) => t.system === 'none' || t.key !== undefined, {
    message: 'a ServiceNow or Jira ticket needs its key (sys_id or issue key)',
    path: ['key'],
  }));
export type TicketRef = z.infer<typeof TicketRef>;

const IsoInstant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant such as 2026-11-22T08:00:00Z' });

export const ChangeWindow = z.strictObject({ start: IsoInstant, end: IsoInstant }).check(z.refine((w) => Date.parse(w.start) < Date.parse(w.end), { message: 'the window must end after it starts', path: ['end'] }));
export type ChangeWindow = z.infer<typeof ChangeWindow>;

export const ChangeSource = z.enum(['console', 'api', 'cli', 'servicenow', 'jira']);
export type ChangeSource = z.infer<typeof ChangeSource>;

export const ChangeRequest = z.strictObject({
  source: ChangeSource,
  ticket: z._default(TicketRef, { system: 'none' }),
  requestedBy: z.string().check(z.minLength(1, 'say who requested the change'), z.maxLength(256)),
  window: z.optional(ChangeWindow),
  spec: ChangeSpec,
  /**
   * A drift check (docs/architecture.md §3.7, shared/drift/): the spec is the desired state of these
   * SUCCEEDED changes, planned against live facts and never applied (its spec is plan-only; only a
   * PLANNED outcome records drift.detected / drift.clear per target).
   */
  drift: z.optional(z.strictObject({ inForce: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(500)) })),
});
export type ChangeRequest = z.infer<typeof ChangeRequest>;
