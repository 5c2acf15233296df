import type { AnchorReading } from './anchor.js';

// The pure half of `audit verify` against the anchor: the table's chain (already recomputed) is
// valid only when it ends exactly at the newest anchored head and still holds every anchored head.
// Each message names the anchor digest it relies on, so an auditor can fetch and check it by hand.

export type AnchorState = 'matched' | 'mismatch' | 'absent';

export interface AnchorVerdict {
  readonly state: AnchorState;
  /** Where the anchor lives (directory or s3://bucket). */
  readonly anchor: string;
  /** The newest anchored head, when there is one. */
  readonly head?: { readonly seq: number; readonly hash: string; readonly anchoredAt: string; readonly key: string };
  readonly firstBadSeq?: number;
  readonly message?: string;
}

export interface TableChain {
  /** False when the change has no record and no events in the table. */
  readonly present: boolean;
  /** Hashes of the table's events in seq order (seq 1 first). */
  readonly hashes: readonly string[];
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;
const second = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

export function judgeAgainstAnchor(table: TableChain, reading: AnchorReading): AnchorVerdict {
  const { anchor } = reading;
  const newest = reading.heads[reading.heads.length - 1];
  const head = newest
    ? { seq: newest.digest.head.seq, hash: newest.digest.head.hash, anchoredAt: newest.digest.anchoredAt, key: newest.key }
    : undefined;
  const mismatch = (message: string, firstBadSeq?: number): AnchorVerdict => ({ state: 'mismatch', anchor, head, firstBadSeq, message });
  const [problem] = reading.problems;
  if (problem) return mismatch(`${problem} (in ${anchor})`);
  if (!head) {
    if (!table.present) return { state: 'absent', anchor };
    return mismatch(`the anchor ${anchor} has no head for change ${reading.changeId}; the table has ${table.hashes.length} events that were never anchored`, 1);
  }
  const says = `anchor ${second(head.anchoredAt)} (${head.key} in ${anchor}) says seq ${head.seq} hash ${short(head.hash)}`;
  if (!table.present) return mismatch(`${says}; the table has no change ${reading.changeId}`, 1);
  if (table.hashes.length < head.seq) return mismatch(`${says}; the table ends at seq ${table.hashes.length}`, table.hashes.length + 1);
  // Newest first: after a consistent rewrite the head itself differs; older heads catch a rewrite
  // that was followed by a fresh append.
  for (const { key, digest } of [...reading.heads].reverse()) {
    const found = table.hashes[digest.head.seq - 1];
    if (found !== digest.head.hash) {
      return mismatch(
        `anchor ${second(digest.anchoredAt)} (${key} in ${anchor}) says seq ${digest.head.seq} hash ${short(digest.head.hash)}; the table's event ${digest.head.seq} has hash ${short(found ?? '')}`,
        digest.head.seq,
      );
    }
  }
  if (table.hashes.length > head.seq) {
    return mismatch(`${says}; the table has ${table.hashes.length} events, so events ${head.seq + 1}–${table.hashes.length} were never anchored`, head.seq + 1);
  }
  return { state: 'matched', anchor, head };
}
