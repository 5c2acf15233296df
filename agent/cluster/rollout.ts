import * as z from '../../shared/zod.js';

// When a DaemonSet or Deployment has finished rolling out: the same tests `kubectl rollout
// status` applies (polymorphichelpers status viewers), so the agent and an operator agree.
const Workload = z.looseObject({
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), generation: z.optional(z.number()) }),
  spec: z.optional(z.looseObject({ replicas: z.optional(z.number()) })),
  status: z.optional(z.looseObject({
      observedGeneration: z.optional(z.number()),
      desiredNumberScheduled: z.optional(z.number()),
      updatedNumberScheduled: z.optional(z.number()),
      numberAvailable: z.optional(z.number()),
      replicas: z.optional(z.number()),
      updatedReplicas: z.optional(z.number()),
      availableReplicas: z.optional(z.number()),
      conditions: z.optional(z.array(z.looseObject({ type: z.string(), reason: z.optional(z.string()) }))),
    })),
});

export interface RolloutProgress {
  done: boolean;
  failed: boolean;
  message: string;
}

export function rolloutProgress(object: unknown): RolloutProgress {
  const w = Workload.parse(object);
  const s = w.status ?? {};
  const name = w.metadata.name;
  const waiting = (message: string): RolloutProgress => ({ done: false, failed: false, message });
  if ((w.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return waiting(`waiting for ${w.kind} "${name}" spec update to be observed`);
  if (w.kind === 'DaemonSet') {
    const desired = s.desiredNumberScheduled ?? 0;
    if ((s.updatedNumberScheduled ?? 0) < desired) return waiting(`${s.updatedNumberScheduled ?? 0} out of ${desired} new pods of daemon set "${name}" updated`);
    if ((s.numberAvailable ?? 0) < desired) return waiting(`${s.numberAvailable ?? 0} of ${desired} updated pods of daemon set "${name}" available`);
    return { done: true, failed: false, message: `daemon set "${name}" successfully rolled out` };
  }
  if (s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) {
    return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const wanted = w.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  if (updated < wanted) return waiting(`${updated} out of ${wanted} new replicas of deployment "${name}" updated`);
  if ((s.replicas ?? 0) > updated) return waiting(`${(s.replicas ?? 0) - updated} old replicas of deployment "${name}" pending termination`);
  if ((s.availableReplicas ?? 0) < updated) return waiting(`${s.availableReplicas ?? 0} of ${updated} updated replicas of deployment "${name}" available`);
  return { done: true, failed: false, message: `deployment "${name}" successfully rolled out` };
}
