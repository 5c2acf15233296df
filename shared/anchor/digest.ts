import * as z from '../zod.js';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { TaskSignature, checkSignature, type PlanSigner, type SignatureCheck, type TrustedKey } from '../signing/index.js';
import { ChangeId } from '../store/change-record.js';

// What the anchor keeps: one signed digest per chain head, and one signed entry per change created.
// The signature covers the canonical JSON of everything but the signature itself, so a digest is
// judged from its own bytes; the next head's digest names this one's SHA-256 (the stored bytes), so
// removing or replacing a digest in the middle breaks the chain of digests as well.

const Hash = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a hash is 64 lowercase hex digits'));

export const AnchoredHead = z.strictObject({
  changeId: ChangeId,
  seq: z.int().check(z.gte(1)),
  hash: Hash,
  at: z.iso.datetime({ offset: true }),
});
export type AnchoredHead = z.infer<typeof AnchoredHead>;

export const HeadDigest = z.strictObject({
  version: z.literal(1),
  kind: z.literal('head'),
  head: AnchoredHead,
  /** When the anchor wrote it (names the anchor in messages). */
  anchoredAt: z.iso.datetime({ offset: true }),
  /** The previous head's digest: its key and the SHA-256 of its stored bytes; null for seq 1. */
  previous: z.nullable(z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(200)), sha256: Hash })),
  signature: TaskSignature,
});
export type HeadDigest = z.infer<typeof HeadDigest>;

export const ChangeEntry = z.strictObject({
  version: z.literal(1),
  kind: z.literal('change'),
  changeId: ChangeId,
  anchoredAt: z.iso.datetime({ offset: true }),
  signature: TaskSignature,
});
export type ChangeEntry = z.infer<typeof ChangeEntry>;

export const headPrefix = 'heads/';
export const changePrefix = 'changes/';

export function headKey(changeId: string, seq: number): string {
  return `${headPrefix}${changeId}/${String(seq).padStart(10, '0')}.json`;
}

/** One object per change, under the UTC day it was first anchored (so `--since` lists few days). */
export function changeKey(changeId: string, anchoredAt: string): string {
  return `${changePrefix}${anchoredAt.slice(0, 10)}/${changeId}.json`;
}

type Unsigned<T> = Omit<T, 'signature'>;

function signedBytes(unsigned: object): Buffer {
  return Buffer.from(canonicalJson(unsigned), 'utf8');
}

export async function sealDigest<T extends HeadDigest | ChangeEntry>(unsigned: Unsigned<T>, signer: PlanSigner): Promise<Buffer> {
  const signature = { alg: signer.alg, keyId: await signer.keyId(), value: await signer.sign(signedBytes(unsigned)) };
  return Buffer.from(canonicalJson({ ...unsigned, signature }), 'utf8');
}

export function digestSha256(bytes: Buffer): string {
  return sha256Hex(bytes);
}

export type Opened<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses stored bytes and checks the signature; a problem names what is wrong, never throws. */
export function openDigest<T extends HeadDigest | ChangeEntry>(
  schema: z.ZodMiniType<T>,
  key: string,
  bytes: Buffer,
  keys: readonly TrustedKey[],
): Opened<T> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, problem: `anchor object ${key} is not JSON` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `anchor object ${key} is not a digest (${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'})` };
  }
  const { signature, ...unsigned } = parsed.data;
  const check: SignatureCheck = checkSignature(signedBytes(unsigned), signature, keys, `anchor object ${key}`);
  if (!check.valid) return { ok: false, problem: `anchor object ${key}: ${check.reason}` };
  return { ok: true, value: parsed.data };
}
