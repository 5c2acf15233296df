import * as z from '../zod.js';
import { DeviceRequest, PlanOp, Readback } from '../plan/index.js';
import { ChangeSpec } from '../spec/change-spec.js';
import { ClusterQuery } from '../cilium/facts/queries.js';
import { PlanTarget, TaskSignature } from '../signing/plan-signature.js';

// The commands the workflow sends to a bastion agent through the site's Activity. The agent
// accepts nothing else (issue 8): every task input is parsed with AgentTask before anything runs.

export const PROTOCOL = 'changeflow.agent/v1' as const;

export const ApicQuery = z.strictObject({
  name: z.string(),
  /** e.g. /api/class/firmwareRunning.json or /api/mo/uni/tn-k8s.json */
  path: z.string().check(z.regex(/^\/api\/(node\/)?(mo|class)\//, 'an APIC query path starts with /api/mo/ or /api/class/')),
  query: z.optional(z.record(z.string(), z.string())),
});
export type ApicQuery = z.infer<typeof ApicQuery>;

// The cluster queries are defined by the Cilium model that also parses their answers.
export { ClusterQuery };

const Name = z.string().check(z.minLength(1), z.maxLength(63));

// Reads carry the spec, not query paths: the agent builds its queries itself from the spec
// (aciCollectQueries / clusterCollectQueries), so a task cannot name an arbitrary path (issue 13).
export const AciCollect = z.strictObject({ type: z.literal('aci.collect'), fabric: Name, spec: ChangeSpec });
export const ClusterCollect = z.strictObject({
  type: z.literal('cluster.collect'),
  cluster: Name,
  spec: ChangeSpec,
  ciliumStatus: z._default(z.boolean(), true),
});
export const AciSnapshot = z.strictObject({
  type: z.literal('aci.snapshot'),
  fabric: Name,
  /** configExportP policy name; the snapshot's description carries the change id. */
  policy: z._default(z.string(), 'changeflow'),
  waitSeconds: z._default(z.int().check(z.positive(), z.lte(600)), 120),
});
export const AciApply = z.strictObject({ type: z.literal('aci.apply'), fabric: Name, ops: z.array(PlanOp) });
export const ClusterApply = z.strictObject({ type: z.literal('cluster.apply'), cluster: Name, ops: z.array(PlanOp) });

/** Verify carries the spec: the checks (BGP both sides, pools, egress, connectivity) derive from it. */
export const Verify = z.strictObject({
  type: z.literal('verify'),
  fabric: Name,
  cluster: Name,
  spec: ChangeSpec,
  /**
   * An observation check (verify.observeSeconds): the cheap checks only, one look each — no
   * waiting for sessions to come up or objects to settle, no connectivity test. What was verified
   * a moment ago must still hold now.
   */
  observe: z.optional(z.literal(true)),
});
export type VerifyCommand = z.infer<typeof Verify>;

export const RollbackStep = z.strictObject({
  opId: z.string(),
  target: z.enum(['apic', 'kubernetes']),
  request: DeviceRequest,
  readback: z.array(Readback),
});
export type RollbackStep = z.infer<typeof RollbackStep>;

export const RollbackTarget = z.enum(['kubernetes', 'apic']);
export type RollbackTarget = z.infer<typeof RollbackTarget>;

export const Rollback = z.strictObject({
  type: z.literal('rollback'),
  fabric: Name,
  cluster: Name,
  /** Every op of the signed plan; the agent derives the inverse steps itself (rollback-steps.ts). */
  ops: z.array(PlanOp),
  /** Targets whose apply began; their inverses run, cluster first. */
  undo: z.array(RollbackTarget).check(z.maxLength(2)),
});

export const AgentCommand = z.discriminatedUnion('type', [
  AciCollect,
  ClusterCollect,
  AciSnapshot,
  AciApply,
  ClusterApply,
  Verify,
  Rollback,
]);
export type AgentCommand = z.infer<typeof AgentCommand>;
export type AgentCommandType = AgentCommand['type'];

export const AgentStep = z.enum(['gather-facts', 'snapshot', 'apply-aci', 'apply-cluster', 'verify', 'observe', 'rollback']);
export type AgentStep = z.infer<typeof AgentStep>;

export const AgentTask = z.strictObject({
  protocol: z.literal(PROTOCOL),
  changeId: z.string().check(z.minLength(1)),
  site: Name,
  step: AgentStep,
  /** The agent fails the command itself before the workflow's TimeoutSeconds would. */
  deadlineSeconds: z.int().check(z.positive()),
  /** The step's HeartbeatSeconds: the agent heartbeats well inside it (every third of it). */
  heartbeatSeconds: z.int().check(z.positive()),
  commands: z.array(AgentCommand).check(z.minLength(1)),
  /** What the signature binds besides the ops (docs/architecture.md §3.6); set on snapshot, apply and rollback. */
  plan: z.optional(z.strictObject({
      planHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest')),
      notAfter: z.iso.datetime(),
      target: PlanTarget,
    })),
  signature: z.optional(TaskSignature),
});
export type AgentTask = z.infer<typeof AgentTask>;
