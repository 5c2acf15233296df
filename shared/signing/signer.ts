import type { SignatureAlg } from './plan-signature.js';

// The one thing the plan step needs from a key: sign these bytes. Locally a key pair in the data
// dir (local-key.ts); on AWS an asymmetric KMS key only the plan function may use
// (functions/runtime/kms-signer.ts). Both answer base64 signatures the agent verifies offline.
export interface PlanSigner {
  readonly alg: SignatureAlg;
  /** May need a round trip (KMS key ARN); asked once per plan. */
  keyId(): Promise<string>;
  sign(message: Buffer): Promise<string>;
}
