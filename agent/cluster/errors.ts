import { ChangeflowError } from '../../shared/errors.js';

// What the workflow and the agent can match on when a cluster call fails.
export interface FieldConflict {
  /** How the API server names the other manager: `"kubectl"` or `"helm" using v1`. */
  manager: string;
  /** `.spec.bgpInstances[name="a"].localASN` */
  field: string;
}

/** Server-side apply refused: fields the change sets are owned by another field manager. */
export class ApplyConflict extends ChangeflowError {
  override readonly name = 'ApplyConflict' as const;
  constructor(
    message: string,
    readonly conflicts: ReadonlyArray<FieldConflict>,
  ) {
    super(message);
  }
}

export class NotFound extends ChangeflowError {
  override readonly name = 'NotFound' as const;
}

/** The API server could not be reached or answered 5xx/timeout: retryable. */
export class ClusterUnavailable extends ChangeflowError {
  override readonly name = 'ClusterUnavailable' as const;
}

/** The cluster rejected the object (422/400/415, or a kind it does not serve). */
export class InvalidObject extends ChangeflowError {
  override readonly name = 'InvalidObject' as const;
  constructor(
    message: string,
    readonly causes: ReadonlyArray<{ field?: string; message: string }> = [],
  ) {
    super(message);
  }
}

/** Any other refusal (401/403, 409 AlreadyExists or stale resourceVersion, …). */
export class ClusterRequestFailed extends ChangeflowError {
  override readonly name = 'ClusterRequestFailed' as const;
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** waitForCondition/waitForRollout ran out of time; `last` is what was seen last. */
export class WaitTimedOut extends ChangeflowError {
  override readonly name = 'WaitTimedOut' as const;
  constructor(
    message: string,
    readonly last: unknown,
  ) {
    super(message);
  }
}

/** The cilium binary could not be started at all (missing, not executable). */
export class CiliumNotRunnable extends ChangeflowError {
  override readonly name = 'CiliumNotRunnable' as const;
}

/** A node-by-node restart stopped: the node's agent did not come back healthy. */
export class NodeGateFailed extends ChangeflowError {
  override readonly name = 'NodeGateFailed' as const;
}
