import { ChangeflowError } from '../errors.js';
import { typedTarget } from './targets.js';

// Names are matched by the workflow's Retry/Catch, the HTTP handlers (status codes) and the CLI.

export class ChangeNotFound extends ChangeflowError {
  override readonly name = 'ChangeNotFound' as const;
  constructor(readonly changeId: string) {
    super(`expected a change record for ${changeId}, found none; check the id with \`changeflow audit list\``);
  }
}

export class ChangeAlreadyExists extends ChangeflowError {
  override readonly name = 'ChangeAlreadyExists' as const;
  constructor(readonly changeId: string, detail: string) {
    super(`change ${changeId} already exists with ${detail}; use a new change id or read the existing change`);
  }
}

export class InvalidTransition extends ChangeflowError {
  override readonly name = 'InvalidTransition' as const;
  constructor(readonly changeId: string, readonly from: string, readonly to: string, allowed: readonly string[]) {
    super(
      `change ${changeId} is ${from}; it may move to ${allowed.length > 0 ? allowed.join(', ') : 'nothing (terminal)'}, ` +
        `not ${to}; record a new change instead of reusing this one`,
    );
  }
}

export class ConcurrentUpdate extends ChangeflowError {
  override readonly name = 'ConcurrentUpdate' as const;
  constructor(readonly key: string, attempts: number) {
    super(`expected to write ${key} after re-reading it, but it changed under us ${attempts} times; retry the step`);
  }
}

export class TargetBusy extends ChangeflowError {
  override readonly name = 'TargetBusy' as const;
  constructor(readonly target: string, readonly holder: string, readonly expiresAt: string, held: boolean) {
    super(
      held
        ? `target ${target} is held by change ${holder} after a failed rollback; ` +
            `fix the target, then run \`changeflow unlock ${typedTarget(target)} --reason …\``
        : `target ${target} is leased by change ${holder} until ${expiresAt}; wait for it to finish or expire`,
    );
  }
}

export class NotLeaseOwner extends ChangeflowError {
  override readonly name = 'NotLeaseOwner' as const;
  constructor(readonly target: string, readonly caller: string, readonly holder: string) {
    super(`${caller} asked to touch the lease on ${target}, but ${holder} owns it; only the owner may release or renew it`);
  }
}

export class LockHeld extends ChangeflowError {
  override readonly name = 'LockHeld' as const;
  constructor(readonly target: string, readonly holder: string) {
    super(
      `the lock on ${target} is held for change ${holder} after ROLLBACK_FAILED and is not released by the workflow; ` +
        `an operator frees it with \`changeflow unlock ${typedTarget(target)} --reason …\``,
    );
  }
}

export class LeaseLost extends ChangeflowError {
  override readonly name = 'LeaseLost' as const;
  constructor(readonly target: string, readonly owner: string, readonly holder: string | undefined) {
    super(
      `${owner} expected to hold the lease on ${target}, found ${holder ? `it owned by ${holder}` : 'no lease'}; ` +
        'the lease expired before a heartbeat — stop touching the target and fail the change',
    );
  }
}

export class AppendContention extends ChangeflowError {
  override readonly name = 'AppendContention' as const;
  constructor(readonly changeId: string, attempts: number) {
    super(`could not append to the audit chain of ${changeId} after ${attempts} attempts (other writers kept winning); retry`);
  }
}

export class DocumentCorrupt extends ChangeflowError {
  override readonly name = 'DocumentCorrupt' as const;
  constructor(readonly changeId: string, readonly documentName: string, problem: string) {
    super(`document ${documentName} of change ${changeId} is not what its ref promises: ${problem}; do not trust it`);
  }
}

/** A stored agent result that does not match the reference the agent sent: never used. */
export class AgentResultRefused extends ChangeflowError {
  override readonly name = 'AgentResultRefused' as const;
  constructor(readonly changeId: string, readonly step: string, problem: string) {
    super(`the stored ${step} result of change ${changeId} is not what the agent's reference promises: ${problem}; it was refused, nothing was read from it`);
  }
}

export class StoredItemInvalid extends ChangeflowError {
  override readonly name = 'StoredItemInvalid' as const;
  constructor(readonly key: string, problem: string) {
    super(`item ${key} in the table does not match its schema (${problem}); it was edited outside changeflow`);
  }
}
