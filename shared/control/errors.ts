import { ChangeflowError } from '../errors.js';

// Change-control errors: the workflow's Catch and the HTTP handlers match them by name.

export class FreezeNotFound extends ChangeflowError {
  override readonly name = 'NotFound' as const;
  constructor(readonly freezeId: string) {
    super(`expected a freeze ${freezeId}, found none; list them with \`changeflow freeze list\``);
  }
}

/** A target is frozen now: nothing is applied to it (REJECTED, nothing touched). */
export class TargetFrozen extends ChangeflowError {
  override readonly name = 'TargetFrozen' as const;
}

/** A person aborted the change: ABORTED before anything was applied, a rollback after. */
export class ChangeAborted extends ChangeflowError {
  override readonly name = 'ChangeAborted' as const;
}

/** Nobody approved the plan within approvalTimeoutMinutes (or the ticket window): REJECTED. */
export class ApprovalTimedOut extends ChangeflowError {
  override readonly name = 'ApprovalTimedOut' as const;
}

/** The approve or abort route cannot act on the change as it is now (409). */
export class ControlRefused extends ChangeflowError {
  override readonly name = 'ControlRefused' as const;
}
