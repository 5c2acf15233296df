// Errors carry a stable `name` so that Step Functions Retry/Catch, the agent and the CLI can
// match them without parsing messages.
export abstract class ChangeflowError extends Error {
  abstract override readonly name: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input that does not satisfy a schema; `issues` name each offending field by JSON path. */
export class InvalidInput extends ChangeflowError {
  override readonly name = 'InvalidInput' as const;
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

/** The ticket is no longer approved, or its window is closed, just before applying. */
export class TicketNotApproved extends ChangeflowError {
  override readonly name = 'TicketNotApproved' as const;
}
export class WindowClosed extends ChangeflowError {
  override readonly name = 'WindowClosed' as const;
}

/** The plan about to be applied is not the plan that was shown and recorded. */
export class PlanChanged extends ChangeflowError {
  override readonly name = 'PlanChanged' as const;
}

/** An apply step reported a failed op or a read-back mismatch: roll back. */
export class ApplyFailed extends ChangeflowError {
  override readonly name = 'ApplyFailed' as const;
}

/** Verification after apply did not pass (inconclusive counts as failure): roll back. */
export class VerificationFailed extends ChangeflowError {
  override readonly name = 'VerificationFailed' as const;
}

/** A check that passed at verification failed while observing (verify.observeSeconds): roll back. */
export class ObservationRegressed extends ChangeflowError {
  override readonly name = 'ObservationRegressed' as const;
}

/** The rollback itself failed: locks stay held and a human is paged. */
export class RollbackFailed extends ChangeflowError {
  override readonly name = 'RollbackFailed' as const;
}

/** Names the workflow's Retry/Catch clauses match (kept in one place so they cannot drift). */
export const WorkflowErrors = {
  invalidInput: 'InvalidInput',
  targetBusy: 'TargetBusy',
  ticketNotApproved: 'TicketNotApproved',
  windowClosed: 'WindowClosed',
  planChanged: 'PlanChanged',
  targetFrozen: 'TargetFrozen',
  changeAborted: 'ChangeAborted',
  approvalTimedOut: 'ApprovalTimedOut',
  applyFailed: 'ApplyFailed',
  verificationFailed: 'VerificationFailed',
  observationRegressed: 'ObservationRegressed',
  rollbackFailed: 'RollbackFailed',
  storeThrottled: 'StoreThrottled',
} as const;
