import { ChangeflowError } from '../../shared/errors.js';

// Raised while turning a CDK stack into runnable local machines: each one names the machine and
// the state so the author can fix the workflow rather than guess at the interpreter.

/** The stack's template does not hold what the local runtime needs (definition, metadata). */
export class InvalidStackMachine extends ChangeflowError {
  override readonly name = 'InvalidStackMachine' as const;
}

/** asl-validator refused the definition after its intrinsics were evaluated. */
export class InvalidStateMachineDefinition extends ChangeflowError {
  override readonly name = 'InvalidStateMachineDefinition' as const;
}

/** The definition uses a feature aws-local-stepfunctions accepts but silently ignores. */
export class UnsupportedAslFeature extends ChangeflowError {
  override readonly name = 'UnsupportedAslFeature' as const;
  constructor(
    message: string,
    readonly findings: ReadonlyArray<{ state: string; feature: string }>,
  ) {
    super(message);
  }
}

/** A Task state whose Resource has no local implementation: running it would call real AWS. */
export class MissingTaskImplementation extends ChangeflowError {
  override readonly name = 'MissingTaskImplementation' as const;
  constructor(
    message: string,
    readonly states: ReadonlyArray<{ state: string; resource: string; reason: string }>,
  ) {
    super(message);
  }
}

/** A handler module named by `changeflow:entry` cannot be imported or lacks its export. */
export class LambdaHandlerNotFound extends ChangeflowError {
  override readonly name = 'LambdaHandlerNotFound' as const;
}

/** A payload a stored execution record refers to does not hold the text its digest names. */
export class PayloadCorrupt extends ChangeflowError {
  override readonly name = 'PayloadCorrupt' as const;
}
