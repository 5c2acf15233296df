import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { readFileSync } from 'node:fs';
import { localPlanSigner, type PlanSigner } from '../../shared/signing/index.js';
import type { PlanSigning } from '../../shared/workflow/plan-signatures.js';
import { ConfigInvalid } from './config.js';

// The plan function's signing key, from its environment: an asymmetric KMS key on AWS (only the
// plan function's role may kms:Sign with it, see cdk/plan-signing-key.ts), a PEM key pair in the
// data dir for `changeflow dev`. Other functions have neither and cannot sign.

/** ECDSA over SHA-256 with a KMS ECC_NIST_P256 key; KMS answers a DER signature, as ES256 verifiers expect. */
export function kmsPlanSigner(client: KMSClient, keyId: string): PlanSigner {
  let arn: Promise<string> | undefined;
  return {
    alg: 'ES256',
    // The key ARN (not an alias) names the key in the task, so the agent's config can pin it.
    keyId: () => (arn ??= client.send(new GetPublicKeyCommand({ KeyId: keyId })).then((out) => out.KeyId ?? keyId)),
    async sign(message) {
      const out = await client.send(new SignCommand({ KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
      if (!out.Signature) throw new Error(`KMS Sign with ${keyId} answered no signature`);
      return Buffer.from(out.Signature).toString('base64');
    },
  };
}

export function planSigningFromEnv(env: NodeJS.ProcessEnv = process.env): PlanSigning | undefined {
  const ttlSeconds = Number(env['CHANGEFLOW_PLAN_TTL_SECONDS'] ?? 12 * 3600);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new ConfigInvalid(`CHANGEFLOW_PLAN_TTL_SECONDS must be a positive integer (seconds), found "${env['CHANGEFLOW_PLAN_TTL_SECONDS']}"`);
  // The local stack names a key file; the local engine also passes the CDK function environment
  // (the KMS key ARN), so the file wins. On AWS only the KMS key is set.
  const file = env['CHANGEFLOW_PLAN_SIGNING_KEY_FILE'];
  const kmsKey = env['CHANGEFLOW_PLAN_KMS_KEY_ID'];
  if (!file) return kmsKey ? { ttlSeconds, signer: kmsPlanSigner(new KMSClient({ region: env['AWS_REGION'] ?? 'us-east-1' }), kmsKey) } : undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigInvalid(`CHANGEFLOW_PLAN_SIGNING_KEY_FILE names ${file}, which cannot be read (${(err as Error).message}); run \`changeflow dev\` to create it or fix the path`);
  }
  return { ttlSeconds, signer: localPlanSigner(pem) };
}
