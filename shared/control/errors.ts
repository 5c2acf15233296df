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
