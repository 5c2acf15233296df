import * as z from '../../shared/zod.js';
import { localTiming, type WorkflowTiming } from '../../workflows/timing.js';

// The workflow timing of a fault stack: heartbeats of 3 s, so that a dead agent is noticed at once
// while a live one (beating every second) stays well inside it on a busy 2-core machine, and step
// timeouts short enough that a fault which never clears is given up in seconds.

export const StepBudget = z.object({
  applyAci: z.optional(z.int().check(z.positive())),
  verify: z.optional(z.int().check(z.positive())),
  rollback: z.optional(z.int().check(z.positive())),
});
export type StepBudget = z.infer<typeof StepBudget>;

export function faultTiming(steps: StepBudget = {}): WorkflowTiming {
  const limit = (timeoutSeconds: number) => ({ heartbeatSeconds: 3, timeoutSeconds });
  return {
    agent: {
      'gather-facts': limit(30),
      snapshot: limit(30),
      'apply-aci': limit(steps.applyAci ?? 30),
      'apply-cluster': limit(30),
      verify: limit(steps.verify ?? 30),
      observe: limit(30),
      rollback: limit(steps.rollback ?? 20),
    },
    lockWait: localTiming.lockWait,
    executionTimeoutSeconds: 600,
  };
}
