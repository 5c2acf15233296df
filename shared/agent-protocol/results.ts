import * as z from '../zod.js';
import { AgentStep, PROTOCOL } from './commands.js';

// What the agent sends back with SendTaskSuccess. Per-op outcome and timing let the workflow
// record every op after it ran; a result that would pass the 256 KiB payload limit is
// summarised (digest + what the workflow needs), never cut mid-JSON.

export const OpOutcome = z.strictObject({
  opId: z.string(),
  outcome: z.enum(['applied', 'unchanged', 'failed', 'skipped']),
  startedAt: z.string(),
  durationMs: z.number().check(z.nonnegative()),
  /** Requests sent to the device for this op (APIC POST/DELETE, kube apply/delete). */
  requests: z.int().check(z.nonnegative()),
  readback: z._default(z.enum(['matched', 'mismatch', 'not-checked']), 'not-checked'),
  error: z.optional(z.string()),
  detail: z.optional(z.string()),
});
export type OpOutcome = z.infer<typeof OpOutcome>;

export const CheckOutcome = z.strictObject({
  id: z.string(),
  verdict: z.enum(['pass', 'fail', 'inconclusive']),
  evidence: z.string(),
  durationMs: z.number().check(z.nonnegative()),
});
export type CheckOutcome = z.infer<typeof CheckOutcome>;

export const CommandResult = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('aci.collect'),
    responses: z.array(z.strictObject({ name: z.string(), imdata: z.array(z.unknown()), totalCount: z.number() })),
  }),
  z.strictObject({
    type: z.literal('cluster.collect'),
    objects: z.array(z.unknown()),
    ciliumStatus: z.optional(z.unknown()),
    ciliumStatusError: z.optional(z.string()),
  }),
  z.strictObject({ type: z.literal('aci.snapshot'), snapshotDn: z.string(), fileName: z.string(), durationMs: z.number() }),
  z.strictObject({ type: z.literal('aci.apply'), ok: z.boolean(), ops: z.array(OpOutcome) }),
  z.strictObject({ type: z.literal('cluster.apply'), ok: z.boolean(), ops: z.array(OpOutcome) }),
  z.strictObject({ type: z.literal('verify'), ok: z.boolean(), checks: z.array(CheckOutcome) }),
  z.strictObject({ type: z.literal('rollback'), ok: z.boolean(), steps: z.array(OpOutcome) }),
]);
export type CommandResult = z.infer<typeof CommandResult>;

export const AgentResult = z.strictObject({
  protocol: z.literal(PROTOCOL),
  changeId: z.string(),
  step: z.string(),
  agent: z.strictObject({ name: z.string(), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  results: z.array(CommandResult),
  /** Set when parts were dropped to stay under the payload limit. */
  summarised: z.optional(z.strictObject({ digest: z.string(), bytes: z.number(), dropped: z.array(z.string()) })),
});
export type AgentResult = z.infer<typeof AgentResult>;

/**
 * What the agent sends instead of a result larger than its inline limit (agent
 * `inlineResultBytes`): the result itself is stored in the changeflow table, chunked under the
 * change's `RESULT#<changeId>` partition (shared/store/agent-results.ts), and this reference
 * carries its sha256 through SendTaskSuccess — the task token's channel, which a writer of the
 * table cannot forge — so the step that reads it back refuses any stored copy that was rewritten.
 */
export const AgentResultRef = z.strictObject({
  protocol: z.literal(PROTOCOL),
  ref: z.strictObject({
    changeId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'a change id')),
    step: AgentStep,
    chunks: z.int().check(z.gte(1), z.lte(1000)),
  }),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: z.int().check(z.gte(0)),
});
export type AgentResultRef = z.infer<typeof AgentResultRef>;

/** What lands in the workflow state after an agent step: the result, or a reference to it. */
export const AgentAnswer = z.union([AgentResult, AgentResultRef]);
export type AgentAnswer = z.infer<typeof AgentAnswer>;

/** Named errors the agent reports with SendTaskFailure; the workflow's Catch matches these names. */
export const AgentErrorName = z.enum([
  'UnknownCommand',
  'TargetNotConfigured',
  'AgentShutdown',
  'CommandDeadlineExceeded',
  'ApicUnavailable',
  'ApicError',
  'ClusterUnavailable',
  'ApplyConflict',
  'SnapshotFailed',
  'TaskNotSigned',
  'TaskSignatureInvalid',
  'TaskOutsidePlan',
  'TaskOutsideScope',
  'UnsafeRequest',
  'AgentError',
]);
export type AgentErrorName = z.infer<typeof AgentErrorName>;
