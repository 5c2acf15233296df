import * as z from '../zod.js';
import { AgentAnswer, AgentTask } from '../agent-protocol/index.js';
import { DocumentRef, LockHandoff } from '../store/index.js';
import { PlanSignatures } from '../signing/plan-signature.js';
import { Freeze } from '../control/freeze.js';
import { ApprovalWait } from '../control/approval.js';
import { ApprovalGrant } from '../control/control-store.js';
import { ObservationWindow } from '../control/observation.js';

// What the Step Functions state carries between steps: identities, references and hashes.
// Facts, plans and the request itself live in the store (documents), never in the state.

export const ChangeHandle = z.strictObject({
  changeId: z.string(),
  executionArn: z.string(),
  site: z.string(),
  fabric: z.string(),
  cluster: z.string(),
  mode: z.enum(['apply', 'plan-only']),
  ticket: z.strictObject({
    system: z.enum(['servicenow', 'jira', 'none']),
    key: z.string(),
    number: z.optional(z.string()),
    /**
     * A manual start named this ticket and the ticketing system has not confirmed it yet: nothing
     * is written to it (notes, close) until the re-check before apply has (shared/workflow/ticket-trust.ts).
     */
    unconfirmed: z.optional(z.literal(true)),
  }),
  requestRef: DocumentRef,
});
export type ChangeHandle = z.infer<typeof ChangeHandle>;

/** What Catch puts into the state: the error name and its cause (often JSON from Lambda). */
export const CaughtError = z.looseObject({ Error: z.string(), Cause: z.optional(z.string()) });
export type CaughtError = z.infer<typeof CaughtError>;

export const Outcome = z.strictObject({
  status: z.enum(['SUCCEEDED', 'PLANNED', 'REJECTED', 'FAILED', 'ABORTED', 'ROLLED_BACK', 'ROLLBACK_FAILED']),
  reason: z.string(),
});
export type Outcome = z.infer<typeof Outcome>;

export const WorkflowState = z.strictObject({
  change: ChangeHandle,
  progress: z.strictObject({ aciApplyStarted: z.boolean(), clusterApplyStarted: z.boolean() }),
  /** Leases this change holds; while it waits in a queue, the ones taken so far (in order). */
  locks: z.optional(z.strictObject({ targets: z.array(z.string()) })),
  /** Set while the change waits in the queue of a busy target (see steps/acquire-locks.ts). */
  lockWait: z.optional(z.strictObject({
      target: z.string(),
      /** When it first queued there (its FIFO place, kept across re-armed waits). */
      since: z.string(),
      /** The bound of the wait: the ticket window's end, else the configured longest wait. */
      until: z.string(),
      /** The lease owner when it queued. */
      behind: z.string(),
      /** How many times the wait was armed (a wait slice that ends re-arms it). */
      round: z.number(),
      /** The bound passed: the change ends REJECTED:busy. */
      gaveUp: z.boolean(),
    })),
  /** What the release step of the previous owner sent when it handed a lease over. */
  lockHandoff: z.optional(LockHandoff),
  facts: z.optional(z.strictObject({ ref: DocumentRef, hash: z.string() })),
  precheck: z.optional(z.strictObject({ verdict: z.enum(['pass', 'fail', 'unknown']), allowed: z.boolean(), failed: z.array(z.string()), unknown: z.array(z.string()) })),
  plan: z.optional(z.strictObject({
      ref: DocumentRef,
      planHash: z.string(),
      opCount: z.int(),
      totals: z.strictObject({ create: z.number(), modify: z.number(), delete: z.number(), restart: z.number() }),
      /** Signatures for the steps that write (apply mode only); copied into their tasks. */
      signing: z.optional(PlanSignatures),
    })),
  /** A freeze in force at precheck time (REJECTED for apply; noted on a plan-only change). */
  freeze: z.optional(Freeze),
  /** Set by the plan step when a person must approve the plan before it is applied. */
  approval: z.optional(ApprovalWait),
  /** What the approve route sent to the approval wait (SendTaskSuccess output). */
  approvalGrant: z.optional(ApprovalGrant),
  snapshot: z.optional(z.strictObject({ dn: z.string(), fileName: z.string() })),
  /** Set once verification passed and the spec asks for an observation window (steps/observe.ts). */
  observe: z.optional(ObservationWindow),
  task: z.optional(AgentTask),
  /** The agent's answer: inline when small, else a reference to the stored result (documents.ts loadAgentResult). */
  agentResult: z.optional(AgentAnswer),
  error: z.optional(CaughtError),
  rollbackError: z.optional(CaughtError),
  outcome: z.optional(Outcome),
});
export type WorkflowState = z.infer<typeof WorkflowState>;

/** The input every reducer step receives: the state, and for shared handlers the step name. */
export const StepInput = z.strictObject({ state: WorkflowState, step: z.optional(z.string()) });
export type StepInput = z.infer<typeof StepInput>;

/** The next state: transient task/answer dropped unless the step sets them again. */
export function nextState(state: WorkflowState, patch: Partial<WorkflowState>): WorkflowState {
  const { task: _task, agentResult: _answer, ...rest } = state;
  return { ...rest, ...patch };
}
