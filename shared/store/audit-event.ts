import * as z from '../zod.js';
import { canonicalHash } from '../canonical-json.js';
import { ChangeId } from './change-record.js';
import { DocumentRef } from './documents.js';
import { ChangeStatus } from './statuses.js';

// The audit event of docs/architecture.md §3.3 and the pure half of the hash chain: sealing an event and
// judging a chain. Reading and writing the chain is audit.ts.
export const zeroHash = '0'.repeat(64);
const Hash = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a hash is 64 lowercase hex digits'));

export const AuditEventType = z.string().check(z.regex(/^[a-z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+$/, 'an event type is dotted, like lock.acquired or apply.aci.op'));

export const AuditEvent = z.object({
  changeId: ChangeId,
  seq: z.int().check(z.gte(1)),
  at: z.iso.datetime({ offset: true }),
  type: AuditEventType,
  status: z.optional(ChangeStatus),
  actor: z.string().check(z.minLength(1)),
  detail: z.json(),
  prevHash: Hash,
  hash: Hash,
});
export type AuditEvent = z.infer<typeof AuditEvent>;
export type UnsealedEvent = Omit<AuditEvent, 'hash'>;

export const NewAuditEvent = z.object({
  changeId: ChangeId,
  type: AuditEventType,
  status: z.optional(ChangeStatus),
  actor: z.string().check(z.minLength(1)),
  detail: z.optional(z.unknown()),
});
export type NewAuditEvent = z.input<typeof NewAuditEvent>;

/** What an event's detail becomes when the original is too large to keep inline. */
export const SummarisedDetail = z.object({
  summarised: z.literal(true),
  digest: Hash,
  bytes: z.int(),
  document: DocumentRef,
  preview: z.string(),
});
export type SummarisedDetail = z.infer<typeof SummarisedDetail>;

export function sealEvent(event: UnsealedEvent): AuditEvent {
  return { ...event, hash: hashEvent(event) };
}

export function hashEvent(event: UnsealedEvent): string {
  const { changeId, seq, at, type, status, actor, detail, prevHash } = event;
  return canonicalHash({ changeId, seq, at, type, status, actor, detail, prevHash });
}

/** One stored link as read back: the event, or why the stored item is not a valid event. */
export type ChainLink = { seq: number; event: AuditEvent } | { seq: number; problem: string };

export const ChainVerdict = z.object({
  changeId: z.string(),
  valid: z.boolean(),
  events: z.int(),
  firstBadSeq: z.optional(z.int()),
  problem: z.optional(z.string()),
  /** How the table's chain compares with the anchor outside the table (shared/anchor), when one is configured. */
  anchor: z.optional(z.object({
      state: z.enum(['matched', 'mismatch', 'absent']),
      anchor: z.string(),
      head: z.optional(z.object({ seq: z.int(), hash: z.string(), anchoredAt: z.string(), key: z.string() })),
      firstBadSeq: z.optional(z.int()),
      message: z.optional(z.string()),
    })),
});
export type ChainVerdict = z.infer<typeof ChainVerdict>;

/**
 * Recomputes the chain in seq order and names the first link that does not hold: a gap, a
 * stored item that is not an event, a hash that does not match its content, or a prevHash that
 * does not match the event before.
 */
export function verifyChain(changeId: string, links: readonly ChainLink[]): ChainVerdict {
  let prevHash = zeroHash;
  for (const [i, link] of links.entries()) {
    const seq = i + 1;
    const bad = (problem: string): ChainVerdict => ({ changeId, valid: false, events: links.length, firstBadSeq: seq, problem });
    if (link.seq !== seq) return bad(`event ${seq} is missing (found ${link.seq} in its place)`);
    if ('problem' in link) return bad(link.problem);
    const { event } = link;
    if (event.seq !== seq) return bad(`event stored as ${seq} claims seq ${event.seq}`);
    if (event.changeId !== changeId) return bad(`event ${seq} names change ${event.changeId}`);
    if (event.prevHash !== prevHash) return bad(`event ${seq} prevHash does not match the hash of event ${seq - 1}`);
    if (hashEvent(event) !== event.hash) return bad(`event ${seq} content does not match its hash`);
    prevHash = event.hash;
  }
  return { changeId, valid: true, events: links.length };
}
