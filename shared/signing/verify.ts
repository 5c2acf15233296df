import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { algOf } from './local-key.js';
import type { SignedPlanPayload, TaskSignature } from './plan-signature.js';

// Offline verification: the agent holds the public keys in its config and never asks AWS.

export interface TrustedKey {
  readonly keyId: string;
  readonly publicKey: KeyObject;
}

/** PEM (SPKI) as written by `openssl pkey -pubin` or the dev stack, or base64 SPKI DER as KMS GetPublicKey returns it. */
export function trustedKey(keyId: string, publicKey: string): TrustedKey {
  const text = publicKey.trim();
  const key = text.startsWith('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  algOf(key);
  return { keyId, publicKey: key };
}

export function signingBytes(payload: SignedPlanPayload): Buffer {
  return Buffer.from(canonicalJson(payload), 'utf8');
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

export function checkPlanSignature(payload: SignedPlanPayload, signature: TaskSignature, keys: readonly TrustedKey[]): SignatureCheck {
  return checkSignature(signingBytes(payload), signature, keys, "this task's change id, site, step, target, plan hash, ops and expiry");
}

/** Verifies a signature over any bytes (plans, audit anchor digests) with one of the trusted keys. */
export function checkSignature(message: Buffer, signature: TaskSignature, keys: readonly TrustedKey[], what: string): SignatureCheck {
  const key = keys.find((k) => k.keyId === signature.keyId);
  if (!key) return { valid: false, reason: `key ${signature.keyId} is not trusted here (trusted: ${keys.map((k) => k.keyId).join(', ') || 'none'})` };
  const alg = algOf(key.publicKey);
  if (alg !== signature.alg) return { valid: false, reason: `key ${key.keyId} is an ${alg} key, the signature claims ${signature.alg}` };
  let ok: boolean;
  try {
    ok = verify(alg === 'ES256' ? 'sha256' : null, message, key.publicKey, Buffer.from(signature.value, 'base64'));
  } catch (err) {
    // OpenSSL refuses some malformed encodings outright instead of answering false.
    return { valid: false, reason: `the signature value is not a well-formed ${alg} signature (${(err as Error).message})` };
  }
  return ok ? { valid: true } : { valid: false, reason: `the signature by ${key.keyId} does not verify over ${what}` };
}
