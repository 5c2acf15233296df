import type { AgentStep } from '../agent-protocol/index.js';
import type { TicketRef } from '../spec/change-request.js';
import type { TaskWaker, WaitQueues, WorkflowStore } from '../store/index.js';
import type { TicketWriter } from '../tickets/index.js';
import type { RequesterDirectory } from '../tickets/people.js';
import type { ApprovalPolicy } from '../control/approval.js';
import type { PlanSigning } from './plan-signatures.js';

// What the workflow steps need from the world, injected by functions/ (AWS) or local/ (dev).

export interface StepLimits {
  readonly heartbeatSeconds: number;
  readonly timeoutSeconds: number;
}

/** Answers "is this ticket still approved?" just before applying (docs/architecture.md §2 step 6). */
export interface TicketStatusReader {
  /** Reads the ticket now; a ticket the system does not have answers approved: false. `window` is the ticket's own. */
  stillApproved(ticket: TicketRef): Promise<{ approved: boolean; detail: string; window?: { start: string; end: string } }>;
}

export interface WorkflowDeps {
  readonly store: WorkflowStore;
  readonly now: () => Date;
  readonly sites: readonly string[];
  readonly agentTiming: Readonly<Record<AgentStep, StepLimits>>;
  /** Writers per ticketing system; a system without one gets no notes (recorded as skipped). */
  /**
   * Only the steps that write notes or close tickets get them (functions/runtime/ticket-writers.ts);
   * writing without them is a wiring fault and fails, rather than skip the note.
   */
  readonly ticketWriters?: Partial<Record<'servicenow' | 'jira', TicketWriter>>;
  /**
   * Readers per ticketing system: only the re-check step gets them (functions/runtime/
   * ticket-readers.ts), and it refuses to run without them rather than skip the re-check.
   */
  readonly ticketReaders?: Partial<Record<'servicenow' | 'jira', TicketStatusReader>>;
  /** Turns the requester id a ticket carries (sys_id, accountId) into a name, per system. */
  readonly requesterDirectories?: Partial<Record<'servicenow' | 'jira', RequesterDirectory>>;
  /** How long a lease lives without a heartbeat; every step renews it. */
  readonly leaseTtlMs: number;
  /** The longest a change waits in a target's queue when its ticket has no window. */
  readonly lockWaitMs: number;
  /**
   * The targets' wait queues and what wakes a queued change on handoff. Only the lock steps get
   * them (functions/runtime/lock-queues.ts); without them a release only frees the lease.
   */
  readonly lockQueues?: { readonly queues: WaitQueues; readonly waker: TaskWaker };
  /**
   * A link to the change's page for ticket notes, minted per note: on AWS a signed, expiring,
   * read-only link (shared/signing/page-link.ts), since the API routes need IAM credentials a
   * ticket's reader does not have.
   */
  readonly pageLink?: (changeId: string) => Promise<string>;
  /** Called when a ticket write-back failed (metric for the alarm); never throws. */
  readonly onWriteBackFailed?: (changeId: string, error: Error) => void;
  readonly actor: string;
  /** Operators' change-control policy: targets whose every change needs an approval, approvers. */
  readonly approvalPolicy?: ApprovalPolicy;
  /** A drift check that finds drift notes the ticket of the last change in force (`changeControl.drift.ticketNote`). */
  readonly driftTicketNote?: boolean;
  /** The longest approval wait the execution can afford (its time limit leaves room to apply). */
  readonly approvalMaxSeconds?: number;
  /** The plan step's signing key (only the plan function has one on AWS). */
  readonly planSigning?: PlanSigning;
}
