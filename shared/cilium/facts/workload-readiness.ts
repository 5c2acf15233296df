import * as z from '../../zod.js';
import type { ClusterFacts } from './cluster-facts.js';

// How ready the Cilium agents and operator are, from the ds/cilium and deploy/cilium-operator
// objects gather-facts already reads: the status fields `cilium status` itself counts pod_state
// from (desired, ready, updated). A submitted change reads these instead of running `cilium
// status` in gather-facts (issue 16: the objects were read anyway; the run cost half a second),
// while facts that carry `cilium status -o json` (a `changeflow plan --facts` folder) keep using it.
// An agent whose own status is Failure fails its readiness probe (/healthz), so it is counted
// not ready here too, one probe period later.

const Workload = z.looseObject({
  metadata: z.looseObject({ generation: z.optional(z.number()) }),
  spec: z.optional(z.looseObject({ replicas: z.optional(z.number()) })),
  status: z.optional(z.looseObject({
    observedGeneration: z.optional(z.number()),
    desiredNumberScheduled: z.optional(z.number()),
    numberReady: z.optional(z.number()),
    updatedNumberScheduled: z.optional(z.number()),
    readyReplicas: z.optional(z.number()),
    updatedReplicas: z.optional(z.number()),
  })),
});

export interface WorkloadReadiness {
  readonly desired: number;
  readonly ready: number;
  /** Pods at the newest template; undefined when the status does not say. */
  readonly updated?: number;
  /** The controller has not yet seen the newest spec (observedGeneration behind generation). */
  readonly unobserved: boolean;
}

export interface CiliumReadiness {
  readonly agents: WorkloadReadiness;
  readonly operator?: WorkloadReadiness;
  /** What is wrong, one line each, as `cilium status` words it; empty when all is ready. */
  readonly errors: string[];
}

function readinessOf(object: unknown, kind: 'DaemonSet' | 'Deployment'): WorkloadReadiness | undefined {
  const parsed = Workload.safeParse(object);
  // No status at all: the controller never reported (or the file was trimmed): not known.
  if (!parsed.success || !parsed.data.status) return undefined;
  const { metadata, spec, status } = parsed.data;
  const ds = kind === 'DaemonSet';
  const desired = (ds ? status.desiredNumberScheduled : spec?.replicas ?? 1) ?? 0;
  const updated = ds ? status.updatedNumberScheduled : status.updatedReplicas;
  return {
    desired,
    // The API omits a zero count: an absent ready count is none ready.
    ready: (ds ? status.numberReady : status.readyReplicas) ?? 0,
    ...(updated !== undefined ? { updated } : {}),
    unobserved: status.observedGeneration !== undefined && status.observedGeneration < (metadata.generation ?? 0),
  };
}

function problems(name: string, kind: 'DaemonSet' | 'Deployment', r: WorkloadReadiness): string[] {
  const out: string[] = [];
  if (r.desired === 0) out.push(`${kind} ${name}: no pods scheduled`);
  if (r.ready < r.desired) out.push(`${r.desired - r.ready} pods of ${kind} ${name} are not ready (${r.ready}/${r.desired})`);
  if (r.unobserved || (r.updated !== undefined && r.updated < r.desired)) out.push(`${kind} ${name} is rolling out (${r.updated ?? 0}/${r.desired} pods updated)`);
  return out;
}

/** Readiness from the facts' cilium DaemonSet (undefined when it was not read). */
export function ciliumReadiness(facts: Pick<ClusterFacts, 'objects' | 'ciliumNamespace'>): CiliumReadiness | undefined {
  const agents = readinessOf(facts.objects[`DaemonSet/${facts.ciliumNamespace}/cilium`], 'DaemonSet');
  if (!agents) return undefined;
  const operator = readinessOf(facts.objects[`Deployment/${facts.ciliumNamespace}/cilium-operator`], 'Deployment');
  return {
    agents,
    ...(operator ? { operator } : {}),
    errors: [...problems('cilium', 'DaemonSet', agents), ...(operator ? problems('cilium-operator', 'Deployment', operator) : [])],
  };
}
