import * as z from '../zod.js';
import type { ChangeSpec } from '../spec/change-spec.js';
import { FreezeTarget } from './freeze.js';

// Whether a planned change waits for a person before it is applied, and for how long. The spec
// asks for it (`approval: required`), or the operators' policy requires it for every change on
// a target. The wait never outlasts the ticket's window: an approval after it could not be used.

export const ApprovalPolicy = z.strictObject({
  /** Targets (fabric#NAME, cluster#NAME, *) on which every apply change needs an approval. */
  requiredFor: z._default(z.array(FreezeTarget), []),
  /** Ticket users whose `/approve <planHash>` counts (the configured approver group). */
  approvers: z._default(z.array(z.string().check(z.minLength(1))), []),
  timeoutMinutes: z._default(z.int().check(z.gte(1), z.lte(10080)), 240),
  /**
   * The ticket state that means "go ahead" (ServiceNow `state`, e.g. "-1" Implement; Jira status
   * name, e.g. "Implementing"): an approver putting the ticket there approves the waiting plan.
   * Unset: only `/approve <planHash>` approves.
   */
  implementState: z.optional(z.strictObject({ servicenow: z.optional(z.string().check(z.minLength(1))), jira: z.optional(z.string().check(z.minLength(1))) })),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

export const ApprovalWait = z.strictObject({
  source: z.enum(['spec', 'policy']),
  /** The whole wait, fixed when the plan was made. */
  timeoutSeconds: z.int().check(z.nonnegative()),
  /** What is left of it; each slice of the wait that ends unanswered takes its length off. */
  remainingSeconds: z.int(),
  deadline: z.string(),
  status: z.enum(['waiting', 'granted']),
});
export type ApprovalWait = z.infer<typeof ApprovalWait>;

export function approvalFor(
  spec: Pick<ChangeSpec, 'approval' | 'approvalTimeoutMinutes'>,
  targets: readonly string[],
  policy: ApprovalPolicy | undefined,
  window: { end: string } | undefined,
  now: Date,
  maxSeconds = Number.POSITIVE_INFINITY,
): ApprovalWait | undefined {
  const byPolicy = policy?.requiredFor.some((t) => t === '*' || targets.includes(t)) ?? false;
  if (spec.approval !== 'required' && !byPolicy) return undefined;
  const minutes = spec.approvalTimeoutMinutes ?? policy?.timeoutMinutes ?? 240;
  const untilWindowEnd = window ? Math.floor((Date.parse(window.end) - now.getTime()) / 1000) : Number.POSITIVE_INFINITY;
  const timeoutSeconds = Math.max(0, Math.min(minutes * 60, untilWindowEnd, maxSeconds));
  return {
    source: spec.approval === 'required' ? 'spec' : 'policy',
    timeoutSeconds,
    remainingSeconds: timeoutSeconds,
    deadline: new Date(now.getTime() + timeoutSeconds * 1000).toISOString(),
    status: 'waiting',
  };
}

/** What a person types to approve, shown in the ticket note and on the timeline page. */
export function approveCommand(changeId: string, planHash: string): string {
  return `changeflow approve ${changeId} --plan-hash ${planHash}`;
}

/** A ticket comment or work note that approves: `/approve <planHash>` (the full hash or its first 12). */
export function approvalInComment(text: string, planHash: string): 'approves' | 'wrong-hash' | 'none' {
  const match = /(?:^|\s)\/approve\s+([0-9a-f]{12,64})\b/i.exec(text);
  if (!match?.[1]) return 'none';
  const given = match[1].toLowerCase();
  return given.length === 64 ? (given === planHash ? 'approves' : 'wrong-hash') : planHash.startsWith(given) ? 'approves' : 'wrong-hash';
}
