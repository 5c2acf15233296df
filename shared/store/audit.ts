import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.js';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import {
  AuditEvent,
  NewAuditEvent,
  SummarisedDetail,
  sealEvent,
  verifyChain,
  zeroHash,
  type ChainLink,
  type ChainVerdict,
} from './audit-event.js';
import type { AuditAnchor } from '../anchor/anchor.js';
import { judgeAgainstAnchor } from '../anchor/judge.js';
import type { DocumentStore } from './documents.js';
import { AppendContention, StoredItemInvalid } from './errors.js';
import { keys } from './keys.js';
import { isConditionalCheckFailed, withoutUndefined, type StoreContext } from './store-context.js';
import { parseInput } from './validate.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { InvalidInput } from '../errors.js';
import { queryItems } from './query-pages.js';

export const inlineDetailBytes = 64 * 1024;
const defaultMaxAttempts = 200;
const pageSize = 200;
const knownHeadLimit = 256;

// Stored form: the event's fields plus its key, with `detail` kept as canonical JSON text so that
// what is hashed is exactly what is stored (DynamoDB would otherwise renormalise numbers and maps).
const StoredEvent = z.strictObject({
  pk: z.string(),
  sk: z.string(),
  changeId: z.string(),
  seq: z.number(),
  at: z.string(),
  type: z.string(),
  status: z.optional(z.string()),
  actor: z.string(),
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

const ChainHead = z.object({ seq: z.number(), hash: z.string() });

export function createAuditStore(ctx: StoreContext, documents: DocumentStore, opts: { maxAttempts?: number; anchor?: AuditAnchor } = {}) {
  const maxAttempts = opts.maxAttempts ?? defaultMaxAttempts;
  const { anchor } = opts;
  const knownHeads = new Map<string, { seq: number; hash: string }>();

  // Bounded so a long-lived container that serves many changes keeps only recent chains' heads.
  function rememberHead(event: AuditEvent): void {
    knownHeads.delete(event.changeId);
    if (knownHeads.size >= knownHeadLimit) {
      const oldest = knownHeads.keys().next();
      if (!oldest.done) knownHeads.delete(oldest.value);
    }
    knownHeads.set(event.changeId, { seq: event.seq, hash: event.hash });
  }

  /**
   * Appends one event to a change's chain. The put is conditional on its seq being free, so two
   * writers can never both become event N (no fork); the loser re-reads the head and retries.
   */
  async function appendEvent(input: NewAuditEvent): Promise<AuditEvent> {
    const fields = parseInput(NewAuditEvent, input, 'audit event');
    const detail = await storableDetail(fields.changeId, fields.detail);
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      // The head this store appended last is the head unless another writer appended since; the
      // conditional put finds that out, so only a lost race costs the Query.
      const head = (attempt === 1 ? knownHeads.get(fields.changeId) : undefined) ?? (await readHead(fields.changeId));
      const event = sealEvent({
        changeId: fields.changeId,
        seq: head.seq + 1,
        at: ctx.now().toISOString(),
        type: fields.type,
        status: fields.status,
        actor: fields.actor,
        detail,
        prevHash: head.hash,
      });
      try {
        await ctx.client.send(
          new PutCommand({
            TableName: ctx.tableName,
            Item: eventItem(event),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (err) {
        knownHeads.delete(fields.changeId);
        if (isConditionalCheckFailed(err)) continue;
        throw err;
      }
      rememberHead(event);
      // The head leaves the table's reach before anyone is told the event was recorded.
      await anchor?.recordHead({ changeId: event.changeId, seq: event.seq, hash: event.hash, at: event.at });
      await advanceRecordedHead(event);
      return event;
    }
    throw new AppendContention(fields.changeId, maxAttempts);
  }

  async function listEvents(
    changeId: string,
    page: { afterSeq?: number; limit?: number } = {},
  ): Promise<{ events: AuditEvent[]; nextAfterSeq?: number }> {
    const limit = page.limit ?? pageSize;
    const out = await ctx.client.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.changePartition(changeId),
          ':from': keys.event(changeId, (page.afterSeq ?? 0) + 1).sk,
          ':to': `${keys.eventPrefix}~`,
        },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    const events = (out.Items ?? []).map((item) => {
      const link = linkFromItem(item);
      if ('problem' in link) throw new StoredItemInvalid(String(item['sk']), `${link.problem}; run \`changeflow audit verify ${changeId}\``);
      return link.event;
    });
    const last = events[events.length - 1];
    return { events, nextAfterSeq: out.LastEvaluatedKey && last ? last.seq : undefined };
  }

  /**
   * One page of a change's events in seq order and the cursor of the next, for the paginated
   * timeline page, `GET /changes/{id}/events?limit=&cursor=` and `audit show` (issue 20: a change
   * at scale has hundreds of events). The cursor names its change: pasted onto another it is
   * refused. One more event than asked is read, so the last page has no cursor.
   */
  async function eventPage(changeId: string, page: { limit: number; cursor?: string }): Promise<{ events: AuditEvent[]; nextCursor?: string }> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 1000) {
      throw new InvalidInput(`expected an events page size of 1–1000, found ${page.limit}`, [{ path: 'limit', message: 'a whole number from 1 to 1000' }]);
    }
    const fingerprint = `events:${changeId}`;
    const afterSeq = page.cursor ? Number(decodeCursor(page.cursor, fingerprint).carry?.['afterSeq'] ?? Number.NaN) : 0;
    if (!Number.isInteger(afterSeq) || afterSeq < 0) {
      throw new InvalidInput('expected a cursor returned by a previous page of events', [{ path: 'cursor', message: 'pass nextCursor exactly as returned' }]);
    }
    const events: AuditEvent[] = [];
    let from: number | undefined = afterSeq;
    while (from !== undefined && events.length <= page.limit) {
      const read: { events: AuditEvent[]; nextAfterSeq?: number } = await listEvents(changeId, { afterSeq: from, limit: page.limit + 1 - events.length });
      events.push(...read.events);
      from = read.nextAfterSeq;
    }
    const shown = events.slice(0, page.limit);
    const last = shown.at(-1);
    return events.length > page.limit && last ? { events: shown, nextCursor: encodeCursor(fingerprint, { partition: 0, carry: { afterSeq: String(last.seq) } }) } : { events: shown };
  }

  async function* iterateEvents(changeId: string): AsyncGenerator<AuditEvent> {
    let afterSeq: number | undefined = 0;
    while (afterSeq !== undefined) {
      const page: { events: AuditEvent[]; nextAfterSeq?: number } = await listEvents(changeId, { afterSeq });
      yield* page.events;
      afterSeq = page.nextAfterSeq;
    }
  }

  /**
   * Recomputes the whole chain, including the documents behind summarised details, and when an
   * anchor is configured compares it with the heads anchored outside the table.
   */
  async function verify(changeId: string): Promise<ChainVerdict> {
    if (!anchor) return (await verifyTable(changeId)).verdict;
    // The anchor first: a head anchored after this read can only make the table look longer.
    let reading = await anchor.readChange(changeId);
    const table = await verifyTable(changeId);
    const anchoredSeq = reading.heads[reading.heads.length - 1]?.digest.head.seq ?? 0;
    // An append between the two reads is in the table a moment before it is anchored: read again.
    if (table.hashes.length > anchoredSeq) reading = await anchor.readChange(changeId);
    const judged = judgeAgainstAnchor({ present: table.present, hashes: table.hashes }, reading);
    const verdict = { ...table.verdict, anchor: judged };
    if (!table.verdict.valid || judged.state !== 'mismatch') return verdict;
    return { ...verdict, valid: false, firstBadSeq: judged.firstBadSeq, problem: judged.message };
  }

  async function verifyTable(changeId: string): Promise<{ verdict: ChainVerdict; hashes: string[]; present: boolean }> {
    // The head first: events appended while we read are then extra links, not a missing one.
    const record = await recordedHead(changeId);
    const head = record.head;
    const links: ChainLink[] = [];
    for await (const item of iterateItems(changeId)) {
      const link = linkFromItem(item);
      links.push('event' in link ? await checkSummarisedDetail(link.event) : link);
    }
    const hashes = links.map((link) => ('event' in link ? link.event.hash : ''));
    const present = record.exists || links.length > 0;
    const result = (verdict: ChainVerdict) => ({ verdict, hashes, present });
    const verdict = verifyChain(changeId, links);
    if (!verdict.valid) return result(verdict);
    // The chain alone cannot show its last events were deleted; the change record remembers its head.
    if (head && head.seq > links.length) {
      return result({ ...verdict, valid: false, firstBadSeq: links.length + 1, problem: `event ${links.length + 1} is missing (the change record says the chain has ${head.seq})` });
    }
    const atHead = head ? links[head.seq - 1] : undefined;
    if (head && atHead && 'event' in atHead && atHead.event.hash !== head.hash) {
      return result({ ...verdict, valid: false, firstBadSeq: head.seq, problem: `event ${head.seq} differs from the one the change record saw appended` });
    }
    return result(verdict);
  }

  /** The full detail of an event, reassembled from its document when it was summarised. */
  async function eventDetail(event: AuditEvent): Promise<unknown> {
    const summary = SummarisedDetail.safeParse(event.detail);
    return summary.success ? documents.getDocument(summary.data.document) : event.detail;
  }

  async function checkSummarisedDetail(event: AuditEvent): Promise<ChainLink> {
    const summary = SummarisedDetail.safeParse(event.detail);
    if (!summary.success) return { seq: event.seq, event };
    if (summary.data.digest !== summary.data.document.digest) {
      return { seq: event.seq, problem: `event ${event.seq} detail digest does not match its document` };
    }
    try {
      await documents.getDocument(summary.data.document);
      return { seq: event.seq, event };
    } catch (err) {
      if (err instanceof Error && err.name === 'DocumentCorrupt') return { seq: event.seq, problem: `event ${event.seq}: ${err.message}` };
      throw err;
    }
  }

  // Details over 64 KB would crowd the 400 KB item limit and every listing: keep a digest and a
  // preview inline and the whole detail as a chunked document, so nothing is silently dropped.
  async function storableDetail(changeId: string, raw: unknown): Promise<z.infer<typeof AuditEvent>['detail']> {
    const detail = JSON.parse(JSON.stringify(raw ?? {})) as z.infer<typeof AuditEvent>['detail'];
    const text = canonicalJson(detail);
    if (Buffer.byteLength(text, 'utf8') <= inlineDetailBytes) return detail;
    const document = await documents.putDocument(changeId, 'event-detail', detail);
    const summary: SummarisedDetail = {
      summarised: true,
      digest: sha256Hex(text),
      bytes: document.bytes,
      document,
      preview: text.slice(0, 512),
    };
    return summary;
  }

  async function readHead(changeId: string): Promise<{ seq: number; hash: string }> {
    const out = await ctx.client.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.changePartition(changeId), ':prefix': keys.eventPrefix },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const last = out.Items?.[0];
    if (!last) return { seq: 0, hash: zeroHash };
    const head = ChainHead.safeParse(last);
    if (!head.success) throw new StoredItemInvalid(String(last['sk']), 'the last audit event has no seq or hash');
    return head.data;
  }

  // Best effort and monotonic: a lagging head only weakens the truncation check, never breaks it.
  async function advanceRecordedHead(event: AuditEvent): Promise<void> {
    try {
      await ctx.client.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: keys.change(event.changeId),
          UpdateExpression: 'SET auditHead = :head',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(auditHead) OR auditHead.seq < :seq)',
          ExpressionAttributeValues: { ':head': { seq: event.seq, hash: event.hash }, ':seq': event.seq },
        }),
      );
    } catch (err) {
      // A later event already advanced the head, or the chain has no change record: both fine.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async function recordedHead(changeId: string): Promise<{ exists: boolean; head?: { seq: number; hash: string } }> {
    const out = await ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: keys.change(changeId), ConsistentRead: true, ProjectionExpression: 'pk, auditHead' }),
    );
    const head = ChainHead.safeParse(out.Item?.['auditHead']);
    return { exists: out.Item !== undefined, head: head.success ? head.data : undefined };
  }

  function iterateItems(changeId: string): AsyncGenerator<Record<string, unknown>> {
    return queryItems(ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.changePartition(changeId), ':prefix': keys.eventPrefix },
      ConsistentRead: true,
      Limit: pageSize,
    });
  }

  return { appendEvent, listEvents, eventPage, iterateEvents, verify, eventDetail };
}

export type AuditStore = ReturnType<typeof createAuditStore>;

/** The stored form of a sealed event (bulk loaders write exactly this). */
export function eventItem(event: AuditEvent): Record<string, unknown> {
  return withoutUndefined({ ...keys.event(event.changeId, event.seq), ...event, detail: canonicalJson(event.detail) });
}

/** Reads one stored item back into an event, refusing anything an honest writer would not store. */
export function linkFromItem(item: Record<string, unknown>): ChainLink {
  const seq = Number(String(item['sk']).slice(keys.eventPrefix.length));
  const stored = StoredEvent.safeParse(item);
  if (!stored.success) {
    const issue = stored.error.issues[0];
    return { seq, problem: `event ${seq} attribute ${issue?.path.join('.') || '?'} is not as written (${issue?.message ?? 'invalid'})` };
  }
  if (stored.data.sk !== keys.event(stored.data.changeId, stored.data.seq).sk || stored.data.pk !== keys.changePartition(stored.data.changeId)) {
    return { seq, problem: `event ${seq} key does not match its changeId and seq` };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(stored.data.detail);
  } catch {
    return { seq, problem: `event ${seq} detail is not JSON` };
  }
  if (canonicalJson(detail) !== stored.data.detail) return { seq, problem: `event ${seq} detail is not in canonical form` };
  const { pk: _pk, sk: _sk, ...fields } = stored.data;
  const event = AuditEvent.safeParse({ ...fields, detail });
  if (!event.success) {
    const issue = event.error.issues[0];
    return { seq, problem: `event ${seq} attribute ${issue?.path.join('.') || '?'} is invalid (${issue?.message ?? 'invalid'})` };
  }
  return { seq, event: event.data };
}
