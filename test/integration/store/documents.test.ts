import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json.js';
import { chunkBytes, createStore, DocumentCorrupt, type Store } from '../../../shared/store/index.js';
import { keys } from '../../../shared/store/keys.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { testClock } from './store-fixtures.js';

let table: TestTable;
let store: Store;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: testClock().now });
});
afterAll(async () => table.close());

const facts = {
  imdata: Array.from({ length: 9000 }, (_, i) => ({
    l3extRsNodeL3OutAtt: { attributes: { dn: `uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-n/rsnodeL3OutAtt-[topology/pod-1/node-${i}]`, rtrId: `1.1.${i % 256}.1` } },
  })),
};

describe('documents over dynalite', () => {
  it('stores a document larger than an item in chunks of at most 300 KB and reads it back whole', async () => {
    const ref = await store.documents.putDocument('doc-1', 'facts', facts);
    const bytes = Buffer.byteLength(canonicalJson(facts));
    expect(ref).toMatchObject({ changeId: 'doc-1', name: 'facts', bytes, chunks: Math.ceil(bytes / chunkBytes) });
    expect(ref.chunks).toBeGreaterThan(2);
    expect(await store.documents.getDocument(ref)).toEqual(facts);
    expect(await store.documents.putDocument('doc-1', 'facts', facts)).toEqual(ref);
  });

  it('keeps an older version readable after a newer one of the same name is written', async () => {
    const v1 = await store.documents.putDocument('doc-2', 'plan', { ops: [1] });
    const v2 = await store.documents.putDocument('doc-2', 'plan', { ops: [1, 2] });
    expect(v2.digest).not.toBe(v1.digest);
    expect(await store.documents.getDocument(v1)).toEqual({ ops: [1] });
    expect(await store.documents.getDocument(v2)).toEqual({ ops: [1, 2] });
  });

  it('refuses a document with a missing chunk or a ref with a wrong digest', async () => {
    const ref = await store.documents.putDocument('doc-3', 'facts', facts);
    await expect(store.documents.getDocument({ ...ref, digest: 'a'.repeat(64) })).rejects.toBeInstanceOf(DocumentCorrupt);
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: keys.documentChunk('doc-3', 'facts', ref.digest, 1) }));
    await expect(store.documents.getDocument(ref)).rejects.toThrow(/expected \d+ chunks/);
  });
});
