import * as z from '../zod.js';
import { sha256Hex } from '../canonical-json.js';
import { AgentResultRefused } from './errors.js';
import { queryItems } from './query-pages.js';
import type { StoreContext } from './store-context.js';
import { parseInput } from './validate.js';

// Agent results too large to pass through Step Functions (a gather-facts answer on a cluster of
// 500 nodes is megabytes; the state limit is 256 KiB). The bastion agent, which may write no
// change record nor audit event, writes them under a partition of their own — `RESULT#<changeId>`,
// the only items its IAM policy lets it put besides PROGRESS# (dynamodb:LeadingKeys, cdk/
// agent-policy.ts) — and sends {ref, sha256, bytes} through SendTaskSuccess. The step that reads
// one back checks chunk count, length and sha256 against that reference: anyone who can write
// the table can rewrite the stored copy, but not the digest the task token carried.

export const agentResultPartitionPrefix = 'RESULT#';

/**
 * The store's view of the reference the agent sends (shared/agent-protocol AgentResultRef, which
 * adds the protocol version): defined here so that the store, bundled into every Lambda, does not
 * pull in the agent protocol's schemas.
 */
export const StoredResultRef = z.object({
  ref: z.object({ changeId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/)), step: z.string().check(z.regex(/^[a-z][a-z-]{0,63}$/)), chunks: z.int().check(z.gte(1), z.lte(1000)) }),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: z.int().check(z.gte(0)),
});
export type StoredResultRef = z.infer<typeof StoredResultRef>;
export const agentResultChunkBytes = 300 * 1024;

export const agentResultKeys = {
  partition: (changeId: string) => `${agentResultPartitionPrefix}${changeId}`,
  /** The digest is in the key: a reference names one content, never a later write of the same step. */
  prefix: (step: string, sha256: string) => `${step}#${sha256}#`,
  chunk: (changeId: string, step: string, sha256: string, index: number) => ({
    pk: `${agentResultPartitionPrefix}${changeId}`,
    sk: `${step}#${sha256}#${String(index).padStart(5, '0')}`,
  }),
} as const;

export interface AgentResultChunk {
  readonly pk: string;
  readonly sk: string;
  readonly index: number;
  readonly chunks: number;
  readonly data: Uint8Array;
}

/** The items one serialised result is stored as, and the reference the agent then sends. */
export function agentResultChunks<P extends string>(changeId: string, step: string, body: Buffer, protocol: P): { ref: StoredResultRef & { protocol: P }; items: AgentResultChunk[] } {
  const sha256 = sha256Hex(body);
  const chunks = Math.max(1, Math.ceil(body.length / agentResultChunkBytes));
  const ref = { protocol, ...parseInput(StoredResultRef, { ref: { changeId, step, chunks }, sha256, bytes: body.length }, 'agent result reference') };
  const items = Array.from({ length: chunks }, (_, index) => ({
    ...agentResultKeys.chunk(changeId, step, sha256, index),
    index,
    chunks,
    data: new Uint8Array(body.subarray(index * agentResultChunkBytes, (index + 1) * agentResultChunkBytes)),
  }));
  return { ref, items };
}

export function createAgentResultStore(ctx: StoreContext) {
  /** The stored result's JSON, after its chunks, length and sha256 matched the reference. */
  async function getAgentResult(input: StoredResultRef): Promise<unknown> {
    const ref = parseInput(StoredResultRef, input, 'agent result reference');
    const { changeId, step, chunks } = ref.ref;
    const parts: Uint8Array[] = [];
    for await (const item of queryItems(ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': agentResultKeys.partition(changeId), ':prefix': agentResultKeys.prefix(step, ref.sha256) },
      ConsistentRead: true,
    })) {
      const data = item['data'];
      if (!(data instanceof Uint8Array)) throw new AgentResultRefused(changeId, step, `chunk ${String(item['sk'])} has no binary data`);
      parts.push(data);
    }
    if (parts.length !== chunks) throw new AgentResultRefused(changeId, step, `expected ${chunks} chunks, found ${parts.length}`);
    const body = Buffer.concat(parts);
    if (body.length !== ref.bytes) throw new AgentResultRefused(changeId, step, `expected ${ref.bytes} bytes, found ${body.length}`);
    const digest = sha256Hex(body);
    if (digest !== ref.sha256) throw new AgentResultRefused(changeId, step, `expected sha256 ${ref.sha256}, found ${digest}`);
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch (err) {
      throw new AgentResultRefused(changeId, step, `it is not JSON (${(err as Error).message})`);
    }
  }

  return { getAgentResult };
}
