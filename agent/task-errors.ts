import { ChangeflowError } from '../shared/errors.js';

// Why the agent refused a task before touching anything (docs/architecture.md §3.6). The workflow's Catch
// sees these names; the message says what was expected, what was found and what to do.

/** A task that writes carries no signed plan. */
export class TaskNotSigned extends ChangeflowError {
  override readonly name = 'TaskNotSigned' as const;
}

/** The signature does not verify, its key is not trusted, or it has expired. */
export class TaskSignatureInvalid extends ChangeflowError {
  override readonly name = 'TaskSignatureInvalid' as const;
}

/** The task is not what a signed plan step looks like: wrong command for the step, other target or site, ops that are not the plan's. */
export class TaskOutsidePlan extends ChangeflowError {
  override readonly name = 'TaskOutsidePlan' as const;
}

/** The task would write or read outside the scope allowlist in this agent's config. */
export class TaskOutsideScope extends ChangeflowError {
  override readonly name = 'TaskOutsideScope' as const;
}

/** A DN, class, query key or Kubernetes name that could escape the URL it is put in. */
export class UnsafeRequest extends ChangeflowError {
  override readonly name = 'UnsafeRequest' as const;
}
