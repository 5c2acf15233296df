import { ChangeflowError } from '../../shared/errors.js';

// The errors of the Step Functions API, by the names AWS gives them: the SDK and the AWS CLI turn
// `{__type, message}` back into these names, so callers match them exactly as on AWS.
export abstract class SfnApiError extends ChangeflowError {
  readonly httpStatus: number = 400;
}

export class ValidationException extends SfnApiError {
  override readonly name = 'ValidationException' as const;
}
export class UnknownOperationException extends SfnApiError {
  override readonly name = 'UnknownOperationException' as const;
}
export class SerializationException extends SfnApiError {
  override readonly name = 'SerializationException' as const;
}
export class InvalidArn extends SfnApiError {
  override readonly name = 'InvalidArn' as const;
}
export class InvalidName extends SfnApiError {
  override readonly name = 'InvalidName' as const;
}
export class InvalidDefinition extends SfnApiError {
  override readonly name = 'InvalidDefinition' as const;
}
export class InvalidExecutionInput extends SfnApiError {
  override readonly name = 'InvalidExecutionInput' as const;
}
export class InvalidOutput extends SfnApiError {
  override readonly name = 'InvalidOutput' as const;
}
export class InvalidToken extends SfnApiError {
  override readonly name = 'InvalidToken' as const;
}
export class TaskDoesNotExist extends SfnApiError {
  override readonly name = 'TaskDoesNotExist' as const;
}
export class TaskTimedOut extends SfnApiError {
  override readonly name = 'TaskTimedOut' as const;
}
export class StateMachineDoesNotExist extends SfnApiError {
  override readonly name = 'StateMachineDoesNotExist' as const;
}
export class StateMachineAlreadyExists extends SfnApiError {
  override readonly name = 'StateMachineAlreadyExists' as const;
}
export class ExecutionDoesNotExist extends SfnApiError {
  override readonly name = 'ExecutionDoesNotExist' as const;
}
export class ExecutionAlreadyExists extends SfnApiError {
  override readonly name = 'ExecutionAlreadyExists' as const;
}
export class ActivityDoesNotExist extends SfnApiError {
  override readonly name = 'ActivityDoesNotExist' as const;
}
