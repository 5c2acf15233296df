import { ChangeflowError } from '../../shared/errors.js';

/**
 * Carries a task's AWS error name and cause into the interpreter: its Retry and Catch match on
 * `name` and copy `message` into the catcher's `Cause`. The name is the task's own (a Lambda's
 * errorType, `States.HeartbeatTimeout`, `DynamoDB.ConditionalCheckFailedException`…), so it is
 * set per instance rather than fixed per class.
 */
export class TaskFailure extends ChangeflowError {
  override readonly name: string;
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}
