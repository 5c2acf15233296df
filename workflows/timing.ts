import type { AgentStep } from '../shared/agent-protocol/index.js';

// How long each agent step may run and how often the agent must heartbeat. Sized for real
// fabrics on AWS; the embedded default and tests pass shorter values so that a lost agent is
// noticed in seconds, not minutes.
export interface StepLimits {
  readonly heartbeatSeconds: number;
  readonly timeoutSeconds: number;
}

export interface WorkflowTiming {
  readonly agent: Readonly<Record<AgentStep, StepLimits>>;
  /**
   * A busy target: the change waits in the target's queue until the lease is handed to it. One
   * wait lasts at most `sliceSeconds` (the callback's TimeoutSeconds: fixed, so the ASL stays
   * portable), after which the change looks again and re-arms, keeping its place; a lease that
   * expired without a release is noticed then. The whole wait ends at the ticket window's end,
   * or after `maxWaitSeconds` for a change without a window, as REJECTED:busy.
   */
  readonly lockWait: { readonly sliceSeconds: number; readonly maxWaitSeconds: number };
  /** Hard cap on one execution. */
  readonly executionTimeoutSeconds: number;
  /**
   * The approval wait runs in slices of this length (a state's TimeoutSeconds is fixed), so a
   * change's own approvalTimeoutMinutes is honoured to within one slice. Default 60.
   */
  readonly approvalSliceSeconds?: number;
}

export const awsTiming: WorkflowTiming = {
  agent: {
    'gather-facts': { heartbeatSeconds: 60, timeoutSeconds: 600 },
    snapshot: { heartbeatSeconds: 60, timeoutSeconds: 900 },
    'apply-aci': { heartbeatSeconds: 60, timeoutSeconds: 1800 },
    'apply-cluster': { heartbeatSeconds: 120, timeoutSeconds: 3600 },
    // BGP establishment (≤ 1 h) plus a connectivity test (≤ 6 h) plus margin.
    verify: { heartbeatSeconds: 120, timeoutSeconds: 27000 },
    // One look at each cheap check while observing (no waiting, no connectivity test).
    observe: { heartbeatSeconds: 60, timeoutSeconds: 600 },
    rollback: { heartbeatSeconds: 120, timeoutSeconds: 3600 },
  },
  lockWait: { sliceSeconds: 900, maxWaitSeconds: 6 * 3600 },
  executionTimeoutSeconds: 12 * 3600,
  approvalSliceSeconds: 60,
};

/** The embedded default: same shape, short enough for demos and tests. */
export const localTiming: WorkflowTiming = {
  agent: {
    'gather-facts': { heartbeatSeconds: 5, timeoutSeconds: 60 },
    snapshot: { heartbeatSeconds: 5, timeoutSeconds: 60 },
    'apply-aci': { heartbeatSeconds: 5, timeoutSeconds: 120 },
    'apply-cluster': { heartbeatSeconds: 5, timeoutSeconds: 120 },
    verify: { heartbeatSeconds: 5, timeoutSeconds: 300 },
    observe: { heartbeatSeconds: 5, timeoutSeconds: 60 },
    rollback: { heartbeatSeconds: 5, timeoutSeconds: 120 },
  },
  lockWait: { sliceSeconds: 30, maxWaitSeconds: 900 },
  executionTimeoutSeconds: 1800,
  approvalSliceSeconds: 30,
};
