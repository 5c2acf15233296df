import * as z from '../zod.js';

// What the plan step signs and what an agent task carries to prove it (docs/architecture.md §3.6). The
// signature is over the canonical JSON of SignedPlanPayload: change id, site, step, target, plan
// hash, the step's ops (with their inverses and read-backs) and an expiry. ES256 is what an AWS
// KMS ECC_NIST_P256 key makes (DER, ECDSA_SHA_256); EdDSA is accepted for local Ed25519 keys.

export const SignatureAlg = z.enum(['ES256', 'EdDSA']);
export type SignatureAlg = z.infer<typeof SignatureAlg>;

export const TaskSignature = z.strictObject({
  alg: SignatureAlg,
  /** Which key signed: `local:<fingerprint>` for a dev key pair, the KMS key ARN on AWS. */
  keyId: z.string().check(z.minLength(1), z.maxLength(2048)),
  /** Base64 of the signature bytes (DER for ES256). */
  value: z.string().check(z.minLength(16), z.maxLength(1024), z.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')),
});
export type TaskSignature = z.infer<typeof TaskSignature>;

export const PlanTarget = z.strictObject({ fabric: z.string().check(z.minLength(1), z.maxLength(63)), cluster: z.string().check(z.minLength(1), z.maxLength(63)) });
export type PlanTarget = z.infer<typeof PlanTarget>;

/** The agent steps that change a fabric or cluster and therefore must carry a signed plan. */
export const SignedStep = z.enum(['snapshot', 'apply-aci', 'apply-cluster', 'rollback']);
export type SignedStep = z.infer<typeof SignedStep>;

export interface SignedPlanPayload {
  readonly changeId: string;
  readonly site: string;
  readonly step: SignedStep;
  readonly target: PlanTarget;
  readonly planHash: string;
  /** The ops this step executes, as PlanOp JSON after schema parsing (defaults filled). */
  readonly ops: readonly unknown[];
  /** ISO 8601; the agent refuses the task after this instant. */
  readonly notAfter: string;
}

/** What the plan step hands on in the workflow state: one signature per step that writes. */
export const PlanSignatures = z.strictObject({
  notAfter: z.iso.datetime(),
  target: PlanTarget,
  signatures: z.strictObject({
    snapshot: TaskSignature,
    'apply-aci': TaskSignature,
    'apply-cluster': TaskSignature,
    rollback: TaskSignature,
  }),
});
export type PlanSignatures = z.infer<typeof PlanSignatures>;
