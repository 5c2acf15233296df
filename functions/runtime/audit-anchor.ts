import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createAuditAnchor, type AuditAnchor } from '../../shared/anchor/anchor.js';
import { localPlanSigner, localKeyId, trustedKey, type PlanSigner, type TrustedKey } from '../../shared/signing/index.js';
import { directoryAnchorObjects } from './anchor-directory.js';
import { s3AnchorObjects } from './anchor-s3.js';
import { ConfigInvalid } from './config.js';
import { kmsPlanSigner } from './plan-signing.js';

// Where this process anchors audit heads (shared/anchor), from its environment:
// - local stack: CHANGEFLOW_ANCHOR_DIR (the digest directory in the data dir) and
//   CHANGEFLOW_ANCHOR_SIGNING_KEY_FILE (its private key; readers give CHANGEFLOW_ANCHOR_PUBLIC_KEY_FILE);
// - AWS: CHANGEFLOW_ANCHOR_BUCKET (Object Lock bucket) and CHANGEFLOW_ANCHOR_KMS_KEY_ID (the
//   asymmetric key that signs digests; its public half is read with kms:GetPublicKey).
// The directory wins when both are set: the local engine also passes the CDK environment.
// Neither set: no anchor (unit tests, and stacks deployed before the anchor existed).

export interface AnchorEnvOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  /** Readers (the CLI) need no signing key. */
  readonly readOnly?: boolean;
}

export function anchorFromEnv(options: AnchorEnvOptions = {}): AuditAnchor | undefined {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const dir = env['CHANGEFLOW_ANCHOR_DIR'];
  if (dir) return directoryAnchor(dir, { signingKeyFile: options.readOnly ? undefined : env['CHANGEFLOW_ANCHOR_SIGNING_KEY_FILE'], publicKeyFile: env['CHANGEFLOW_ANCHOR_PUBLIC_KEY_FILE'], now });
  const bucket = env['CHANGEFLOW_ANCHOR_BUCKET'];
  const keyId = env['CHANGEFLOW_ANCHOR_KMS_KEY_ID'];
  if (!bucket && !keyId) return undefined;
  if (!bucket || !keyId) throw new ConfigInvalid('expected both CHANGEFLOW_ANCHOR_BUCKET and CHANGEFLOW_ANCHOR_KMS_KEY_ID, or neither; fix the environment');
  const region = env['AWS_REGION'] ?? 'us-east-1';
  return s3Anchor({ bucket, keyId, region, readOnly: options.readOnly === true, now });
}

export function directoryAnchor(dir: string, opts: { signingKeyFile?: string; publicKeyFile?: string; now: () => Date }): AuditAnchor {
  let signer: PlanSigner | undefined;
  let trusted: TrustedKey;
  if (opts.signingKeyFile) {
    const pem = readKeyFile(opts.signingKeyFile, 'CHANGEFLOW_ANCHOR_SIGNING_KEY_FILE');
    signer = localPlanSigner(pem);
    const publicKey = createPublicKey(pem);
    trusted = { keyId: localKeyId(publicKey), publicKey };
  } else if (opts.publicKeyFile) {
    const publicKey = createPublicKey(readKeyFile(opts.publicKeyFile, 'the anchor public key'));
    trusted = { keyId: localKeyId(publicKey), publicKey };
  } else {
    throw new ConfigInvalid(`the audit anchor ${dir} needs its signing key (CHANGEFLOW_ANCHOR_SIGNING_KEY_FILE) or, to read it, its public key (CHANGEFLOW_ANCHOR_PUBLIC_KEY_FILE)`);
  }
  return createAuditAnchor({ objects: directoryAnchorObjects(dir), signer, trustedKeys: () => Promise.resolve([trusted]), now: opts.now });
}

export function s3Anchor(opts: { bucket: string; keyId: string; region: string; readOnly: boolean; now: () => Date }): AuditAnchor {
  const kms = new KMSClient({ region: opts.region });
  const signer = opts.readOnly ? undefined : kmsPlanSigner(kms, opts.keyId);
  return createAuditAnchor({
    objects: s3AnchorObjects(new S3Client({ region: opts.region }), opts.bucket),
    signer,
    // Digests name the key by ARN (what kms:GetPublicKey answers), as plan signatures do.
    trustedKeys: async () => {
      const out = await kms.send(new GetPublicKeyCommand({ KeyId: opts.keyId }));
      if (!out.PublicKey || !out.KeyId) throw new ConfigInvalid(`kms:GetPublicKey for ${opts.keyId} answered no public key`);
      return [trustedKey(out.KeyId, Buffer.from(out.PublicKey).toString('base64'))];
    },
    now: opts.now,
  });
}

// Read once per container, when the store is built (like the plan-signing key).
function readKeyFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigInvalid(`${what} names ${path}, which cannot be read (${(err as Error).message}); run \`changeflow dev\` to create it or fix the path`);
  }
}
