import { ChangeflowError } from '../errors.js';
import type { PlanSigner, TrustedKey } from '../signing/index.js';
import {
  AnchoredHead,
  ChangeEntry,
  HeadDigest,
  changeKey,
  changePrefix,
  digestSha256,
  headKey,
  headPrefix,
  openDigest,
  sealDigest,
} from './digest.js';
import type { AnchorObjects } from './objects.js';

// The anchor over write-once objects: the store's appender records every new head here right
// after the table accepted it; `audit verify` reads it back. Reading checks every digest's
// signature and the chain of digests, so a digest that was removed, replaced or forged without
// the key is a finding, not a silent gap.

export class AnchorConflict extends ChangeflowError {
  override readonly name = 'AnchorConflict' as const;
}

export class AnchorNotWritable extends ChangeflowError {
  override readonly name = 'AnchorNotWritable' as const;
}

export interface AnchorOptions {
  readonly objects: AnchorObjects;
  /** Absent for a reader (the CLI): recordHead then refuses. */
  readonly signer?: PlanSigner;
  /** The keys whose digests are believed; may need a round trip (KMS GetPublicKey), asked once. */
  readonly trustedKeys: () => Promise<readonly TrustedKey[]>;
  readonly now: () => Date;
}

export interface AnchoredDigest {
  readonly key: string;
  readonly digest: HeadDigest;
}

/** What the anchor holds for one change: its heads in seq order and whatever did not check out. */
export interface AnchorReading {
  readonly anchor: string;
  readonly changeId: string;
  readonly heads: readonly AnchoredDigest[];
  readonly problems: readonly string[];
}

const parallelReads = 16;

export function createAuditAnchor(options: AnchorOptions) {
  const { objects } = options;
  let keys: Promise<readonly TrustedKey[]> | undefined;
  const trusted = () => (keys ??= options.trustedKeys());

  /** Records a chain head; idempotent for the same head, AnchorConflict for a different one at the same seq. */
  async function recordHead(input: AnchoredHead): Promise<void> {
    const signer = options.signer;
    if (!signer) throw new AnchorNotWritable(`the audit anchor ${objects.name} was opened for reading only; appending needs its signing key`);
    const head = AnchoredHead.parse(input);
    const anchoredAt = options.now().toISOString();
    if (head.seq === 1) {
      const entry = await sealDigest<ChangeEntry>({ version: 1, kind: 'change', changeId: head.changeId, anchoredAt }, signer);
      await objects.putNew(changeKey(head.changeId, anchoredAt), entry);
    }
    const previousKey = head.seq > 1 ? headKey(head.changeId, head.seq - 1) : undefined;
    const previousBytes = previousKey ? await objects.get(previousKey) : undefined;
    // A missing previous digest stays visible: the reader reports the gap.
    const previous = previousKey && previousBytes ? { key: previousKey, sha256: digestSha256(previousBytes) } : null;
    const key = headKey(head.changeId, head.seq);
    const bytes = await sealDigest<HeadDigest>({ version: 1, kind: 'head', head, anchoredAt, previous }, signer);
    if ((await objects.putNew(key, bytes)) === 'written') return;
    const existing = await objects.get(key);
    const opened = existing ? openDigest(HeadDigest, key, existing, await trusted()) : undefined;
    if (opened?.ok && opened.value.head.hash === head.hash) return;
    throw new AnchorConflict(`the audit anchor ${objects.name} already holds ${key} with another head; the table and the anchor disagree about event ${head.seq} of ${head.changeId}`);
  }

  async function readChange(changeId: string): Promise<AnchorReading> {
    const keyList: string[] = [];
    for await (const key of objects.list(`${headPrefix}${changeId}/`)) keyList.push(key);
    const loaded = await readAll(keyList);
    const problems: string[] = [];
    const heads: AnchoredDigest[] = [];
    const verifiers = await trusted();
    let previous: { key: string; sha256: string; seq: number } | undefined;
    for (const { key, bytes } of loaded) {
      if (!bytes) {
        problems.push(`anchor object ${key} was listed but cannot be read`);
        continue;
      }
      const opened = openDigest(HeadDigest, key, bytes, verifiers);
      if (!opened.ok) {
        problems.push(opened.problem);
        continue;
      }
      const digest = opened.value;
      if (digest.head.changeId !== changeId || key !== headKey(changeId, digest.head.seq)) {
        problems.push(`anchor object ${key} holds the head of ${digest.head.changeId} seq ${digest.head.seq}, not what its key says`);
        continue;
      }
      const expected = previous ? { key: previous.key, sha256: previous.sha256 } : null;
      if (digest.head.seq !== (previous ? previous.seq + 1 : 1)) {
        problems.push(`anchor ${digest.anchoredAt} (${key}) follows seq ${previous?.seq ?? 0}: digest ${previous ? previous.seq + 1 : 1} is missing`);
      } else if (JSON.stringify(digest.previous) !== JSON.stringify(expected)) {
        problems.push(`anchor ${digest.anchoredAt} (${key}) does not chain to the digest before it`);
      }
      heads.push({ key, digest });
      previous = { key, sha256: digestSha256(bytes), seq: digest.head.seq };
    }
    return { anchor: objects.name, changeId, heads, problems };
  }

  /** Every change the anchor has seen created, on or after `since` (its UTC day), oldest first. */
  async function listChanges(filter: { since?: string } = {}): Promise<{ changeIds: string[]; problems: string[] }> {
    const sinceDay = filter.since ? new Date(filter.since).toISOString().slice(0, 10) : undefined;
    const keyList: string[] = [];
    for await (const key of objects.list(changePrefix)) {
      const day = key.slice(changePrefix.length, changePrefix.length + 10);
      if (!sinceDay || day >= sinceDay) keyList.push(key);
    }
    const verifiers = await trusted();
    const changeIds = new Set<string>();
    const problems: string[] = [];
    for (const { key, bytes } of await readAll(keyList)) {
      const opened = bytes ? openDigest(ChangeEntry, key, bytes, verifiers) : { ok: false as const, problem: `anchor object ${key} cannot be read` };
      if (!opened.ok) problems.push(opened.problem);
      else if (!filter.since || opened.value.anchoredAt >= new Date(filter.since).toISOString()) changeIds.add(opened.value.changeId);
    }
    return { changeIds: [...changeIds], problems };
  }

  async function readAll(keyList: readonly string[]): Promise<Array<{ key: string; bytes: Buffer | undefined }>> {
    const out: Array<{ key: string; bytes: Buffer | undefined }> = [];
    for (let i = 0; i < keyList.length; i += parallelReads) {
      const batch = keyList.slice(i, i + parallelReads);
      out.push(...(await Promise.all(batch.map(async (key) => ({ key, bytes: await objects.get(key) })))));
    }
    return out;
  }

  return { name: objects.name, recordHead, readChange, listChanges };
}

export type AuditAnchor = ReturnType<typeof createAuditAnchor>;
