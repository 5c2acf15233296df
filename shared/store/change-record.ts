import * as z from '../zod.js';
import { ChangeStatus } from './statuses.js';

// Ids become key parts and Step Functions execution names: no '#', at most 80 characters.
export const ChangeId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'a change id is 1–80 of A–Z a–z 0–9 . _ - and starts alphanumeric'));
export type ChangeId = z.infer<typeof ChangeId>;

export const TicketSystem = z.enum(['servicenow', 'jira', 'none']);
export type TicketSystem = z.infer<typeof TicketSystem>;

export const TicketRef = z.object({
  system: TicketSystem,
  key: z.string(),
  number: z.optional(z.string()),
  revision: z.optional(z.union([z.string(), z.number()])),
});
export type TicketRef = z.infer<typeof TicketRef>;

export const ChangeSource = z.enum(['servicenow', 'jira', 'console', 'api', 'cli']);
export type ChangeSource = z.infer<typeof ChangeSource>;

const TargetName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a target name is 1–100 of A–Z a–z 0–9 . _ -'));

export const ChangeTargets = z.object({ site: TargetName, fabric: TargetName, cluster: TargetName });
export type ChangeTargets = z.infer<typeof ChangeTargets>;

export const ChangeMode = z.enum(['apply', 'plan-only']);
export type ChangeMode = z.infer<typeof ChangeMode>;

const IsoTime = z.iso.datetime({ offset: true });

export const ChangeRecord = z.object({
  changeId: ChangeId,
  status: ChangeStatus,
  ticket: TicketRef,
  source: ChangeSource,
  targets: ChangeTargets,
  requestedBy: z.string().check(z.minLength(1)),
  mode: ChangeMode,
  executionArn: z.optional(z.string().check(z.minLength(1))),
  planHash: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a plan hash is 64 lowercase hex digits'))),
  summary: z.optional(z.string()),
  outcome: z.optional(z.object({ reason: z.optional(z.string()) })),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type ChangeRecord = z.infer<typeof ChangeRecord>;

export const NewChange = z.omit(ChangeRecord, { status: true, createdAt: true, updatedAt: true, outcome: true, planHash: true });
export type NewChange = z.input<typeof NewChange>;

/** Fields a step may set alongside (or without) a status change. */
export const ChangePatch = z.partial(z.pick(ChangeRecord, { executionArn: true, planHash: true, summary: true, outcome: true }));
export type ChangePatch = z.input<typeof ChangePatch>;
