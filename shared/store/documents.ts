import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.js';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { ChangeId } from './change-record.js';
import { DocumentCorrupt } from './errors.js';
import { keys } from './keys.js';
import type { StoreContext } from './store-context.js';
import { parseInput } from './validate.js';
import { queryItems } from './query-pages.js';

// Large facts, plans and audit details live here so Step Functions state (256 KiB) carries only
// a ref. Chunks are addressed by the content digest: writing the same document twice is
// idempotent, and a ref can never point at half of a newer document of the same name.
export const chunkBytes = 300 * 1024;
const writeConcurrency = 8;

export const DocumentName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a document name is 1–100 of A–Z a–z 0–9 . _ -'));

export const DocumentRef = z.object({
  changeId: ChangeId,
  name: DocumentName,
  digest: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: z.int().check(z.gte(0)),
  chunks: z.int().check(z.gte(1)),
});
export type DocumentRef = z.infer<typeof DocumentRef>;

export function createDocumentStore(ctx: StoreContext) {
  async function putDocument(changeId: string, name: string, value: unknown): Promise<DocumentRef> {
    parseInput(ChangeId, changeId, 'change id');
    parseInput(DocumentName, name, 'document name');
    // JSON.stringify first so Dates and toJSON() become what a reader will see.
    const body = Buffer.from(canonicalJson(JSON.parse(JSON.stringify(value ?? null))), 'utf8');
    const digest = sha256Hex(body);
    const chunks = Math.max(1, Math.ceil(body.length / chunkBytes));
    const ref: DocumentRef = { changeId, name, digest, bytes: body.length, chunks };
    const indexes = Array.from({ length: chunks }, (_, i) => i);
    for (let i = 0; i < indexes.length; i += writeConcurrency) {
      await Promise.all(
        indexes.slice(i, i + writeConcurrency).map((index) =>
          ctx.client.send(
            new PutCommand({
              TableName: ctx.tableName,
              Item: {
                ...keys.documentChunk(changeId, name, digest, index),
                index,
                chunks,
                data: new Uint8Array(body.subarray(index * chunkBytes, (index + 1) * chunkBytes)),
              },
            }),
          ),
        ),
      );
    }
    return ref;
  }

  /** Reassembles a document and checks length and digest: a ref never yields altered content. */
  async function getDocument(input: DocumentRef): Promise<unknown> {
    const ref = parseInput(DocumentRef, input, 'document ref');
    const parts: Uint8Array[] = [];
    for await (const item of queryItems(ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.changePartition(ref.changeId), ':prefix': keys.documentPrefix(ref.name, ref.digest) },
      ConsistentRead: true,
    })) {
      const data = item['data'];
      if (!(data instanceof Uint8Array)) throw corrupt(ref, `chunk ${String(item['sk'])} has no binary data`);
      parts.push(data);
    }
    if (parts.length !== ref.chunks) throw corrupt(ref, `expected ${ref.chunks} chunks, found ${parts.length}`);
    const body = Buffer.concat(parts);
    if (body.length !== ref.bytes) throw corrupt(ref, `expected ${ref.bytes} bytes, found ${body.length}`);
    const digest = sha256Hex(body);
    if (digest !== ref.digest) throw corrupt(ref, `expected sha256 ${ref.digest}, found ${digest}`);
    return JSON.parse(body.toString('utf8')) as unknown;
  }

  return { putDocument, getDocument };
}

export type DocumentStore = ReturnType<typeof createDocumentStore>;

function corrupt(ref: DocumentRef, problem: string): DocumentCorrupt {
  return new DocumentCorrupt(ref.changeId, ref.name, problem);
}
