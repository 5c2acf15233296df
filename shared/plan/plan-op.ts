import * as z from '../zod.js';

// A plan operation is data: what to send, how to undo it (planned before it runs), and what to
// read back afterwards to prove it took. The agent executes requests; it never invents them.

/** An APIC MO in the REST JSON form: {"<class>": {"attributes": {...}, "children": [...]}}. */
export type MoJson = { [className: string]: { attributes: Record<string, string>; children?: MoJson[] } };
export const MoJson: z.ZodMiniType<MoJson> = z.lazy(() =>
  z.record(
    z.string(),
    z.strictObject({ attributes: z.record(z.string(), z.string()), children: z.optional(z.array(MoJson)) }),
  ),
);

/** A name in the agent config's `secrets`: the value lives on the bastion, never in a plan. */
export const SecretRefName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'a secret reference name: letters, digits, _ . - (1–63)'));

/** A write-only APIC attribute the agent fills from a secret reference just before sending. */
export const ApicSecretAttribute = z.strictObject({ dn: z.string().check(z.minLength(1)), attribute: z.string().check(z.minLength(1)), secretRef: SecretRefName });
export type ApicSecretAttribute = z.infer<typeof ApicSecretAttribute>;

export const ApicRequest = z.strictObject({
  kind: z.literal('apic'),
  method: z.enum(['POST', 'DELETE']),
  /** DN the request is addressed to: POST /api/mo/<dn>.json or DELETE /api/mo/<dn>.json. */
  dn: z.string().check(z.minLength(1)),
  body: z.optional(MoJson),
  /** Attributes of MOs in `body` (by DN) the agent sets from its secrets; the body never holds them. */
  secrets: z.optional(z.array(ApicSecretAttribute)),
});
export type ApicRequest = z.infer<typeof ApicRequest>;

export const KubeRef = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  namespace: z.optional(z.string()),
});
export type KubeRef = z.infer<typeof KubeRef>;

export const KubeObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.optional(z.string()) }),
});
export type KubeObject = z.infer<typeof KubeObject>;

export const KubeRequest = z.discriminatedUnion('method', [
  /** Server-side apply with changeflow's field manager (force only when `force`). */
  z.strictObject({
    kind: z.literal('kubernetes'), method: z.literal('apply'), ref: KubeRef, manifest: KubeObject, force: z._default(z.boolean(), false),
    /** Keys of a Secret's `data` the agent fills from its secrets (base64) before applying. */
    secretData: z.optional(z.array(z.strictObject({ key: z.string().check(z.minLength(1)), secretRef: SecretRefName }))),
  }),
  z.strictObject({ kind: z.literal('kubernetes'), method: z.literal('delete'), ref: KubeRef }),
  /** Rolling restart of a DaemonSet or Deployment, then wait for the rollout. */
  z.strictObject({ kind: z.literal('kubernetes'), method: z.literal('restart'), ref: KubeRef }),
  /**
   * Restart a DaemonSet's pods one node at a time: delete the node's pod, wait for its replacement
   * to be ready, then gate on that node's agent (`cilium status` OK, its endpoints ready) before
   * the next node. A failed gate stops the restart there.
   */
  z.strictObject({ kind: z.literal('kubernetes'), method: z.literal('restart-nodes'), ref: KubeRef, podSelector: z.string().check(z.minLength(1)) }),
]);
export type KubeRequest = z.infer<typeof KubeRequest>;

export const DeviceRequest = z.union([ApicRequest, KubeRequest]);
export type DeviceRequest = z.infer<typeof DeviceRequest>;

/** One line of the terraform-plan-like diff. */
export const DiffLine = z.strictObject({
  sign: z.enum(['+', '~', '-']),
  /** DN or apiVersion/kind/name. */
  ref: z.string(),
  attribute: z.optional(z.string()),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
});
export type DiffLine = z.infer<typeof DiffLine>;

/** What must hold after the request ran: attributes present (subset match) or the object absent. */
export const Readback = z.discriminatedUnion('target', [
  z.strictObject({ target: z.literal('apic'), dn: z.string(), attributes: z.optional(z.record(z.string(), z.string())), absent: z._default(z.boolean(), false) }),
  z.strictObject({ target: z.literal('kubernetes'), ref: KubeRef, fields: z.optional(z.record(z.string(), z.unknown())), absent: z._default(z.boolean(), false) }),
]);
export type Readback = z.infer<typeof Readback>;

export const PlanOp = z.strictObject({
  id: z.string(),
  target: z.enum(['apic', 'kubernetes']),
  action: z.enum(['create', 'modify', 'delete', 'restart']),
  summary: z.string(),
  request: DeviceRequest,
  /** Requests that undo this op, run in order on rollback (ops themselves are undone last-first). */
  inverse: z.array(DeviceRequest),
  readback: z._default(z.array(Readback), []),
  /** Readback that must hold after the inverse ran. */
  inverseReadback: z._default(z.array(Readback), []),
  diff: z.array(DiffLine),
  /** Index of the spec change this op serves. */
  change: z.optional(z.int().check(z.nonnegative())),
});
export type PlanOp = z.infer<typeof PlanOp>;
