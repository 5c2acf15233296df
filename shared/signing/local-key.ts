import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { SignatureAlg } from './plan-signature.js';
import type { PlanSigner } from './signer.js';

// A plan-signing key pair kept as PEM files, for `changeflow dev` and tests. P-256 by default so
// that the local stack signs exactly as the AWS KMS key does (ES256, DER); Ed25519 also works.

export interface PlanKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly keyId: string;
  readonly alg: SignatureAlg;
}

export function generatePlanKeyPair(kind: 'p256' | 'ed25519' = 'p256'): PlanKeyPair {
  const { privateKey, publicKey } = kind === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: localKeyId(publicKey),
    alg: algOf(publicKey),
  };
}

/** `local:` + the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
export function localKeyId(publicKey: KeyObject): string {
  return `local:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)}`;
}

export function algOf(key: KeyObject): SignatureAlg {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`expected a P-256 or Ed25519 plan-signing key, found ${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim());
}

/** A signer over a private key PEM (read by the caller, e.g. from the data dir). */
export function localPlanSigner(privateKeyPem: string): PlanSigner {
  const key = createPrivateKey(privateKeyPem);
  const alg = algOf(key);
  const keyId = localKeyId(createPublicKey(key));
  return {
    alg,
    keyId: () => Promise.resolve(keyId),
    sign: (message) => Promise.resolve(sign(alg === 'ES256' ? 'sha256' : null, message, key).toString('base64')),
  };
}
