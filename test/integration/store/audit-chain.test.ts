import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json.js';
import { createStore, inlineDetailBytes, zeroHash, type Store } from '../../../shared/store/index.js';
import { keys } from '../../../shared/store/keys.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

let table: TestTable;
let store: Store;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: testClock('2026-11-03T10:00:00.000Z', 250).now });
});
afterAll(async () => table.close());

async function chainOf(changeId: string, length: number): Promise<void> {
  await store.changes.create(newChange(changeId));
  for (let i = 1; i <= length; i += 1) {
    await store.audit.appendEvent({ changeId, type: `step.s${i}`, status: 'RECEIVED', actor: 'workflow', detail: { i, note: 'ok' } });
  }
}

describe('audit chain over dynalite', () => {
  it('gives 20 concurrent writers to one change one unbroken chain', async () => {
    await store.changes.create(newChange('concurrent-1'));
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, w) =>
        store.audit.appendEvent({ changeId: 'concurrent-1', type: 'apply.aci.op', status: 'APPLYING', actor: `writer-${w}`, detail: { w } }),
      ),
    );
    expect(new Set(written.map((e) => e.seq))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i + 1)));
    const { events } = await store.audit.listEvents('concurrent-1');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events[0]?.prevHash).toBe(zeroHash);
    for (let i = 1; i < events.length; i += 1) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    expect(new Set(events.map((e) => e.actor)).size).toBe(20);
    expect(await store.audit.verify('concurrent-1')).toEqual({ changeId: 'concurrent-1', valid: true, events: 20 });
  });

  it('reads the chain head once per store: later appends are one conditional put and the head update', async () => {
    await store.changes.create(newChange('known-head-1'));
    table.commands.reset();
    await store.audit.appendEvent({ changeId: 'known-head-1', type: 'step.first', status: 'RECEIVED', actor: 'workflow', detail: {} });
    expect(table.commands.counts()).toEqual({ QueryCommand: 1, PutItemCommand: 1, UpdateItemCommand: 1 });
    table.commands.reset();
    for (let i = 0; i < 3; i += 1) {
      await store.audit.appendEvent({ changeId: 'known-head-1', type: `step.next${i}`, status: 'RECEIVED', actor: 'workflow', detail: { i } });
    }
    expect(table.commands.counts()).toEqual({ PutItemCommand: 3, UpdateItemCommand: 3 });
    expect(await store.audit.verify('known-head-1')).toEqual({ changeId: 'known-head-1', valid: true, events: 4 });
  });

  it('keeps one chain when another writer appended after this store last did (its remembered head is stale)', async () => {
    const other = createStore({ client: table.client, tableName: table.tableName, now: testClock('2026-11-03T11:00:00.000Z', 250).now });
    await store.changes.create(newChange('known-head-2'));
    await store.audit.appendEvent({ changeId: 'known-head-2', type: 'step.a', status: 'RECEIVED', actor: 'lambda-1', detail: {} });
    await other.audit.appendEvent({ changeId: 'known-head-2', type: 'step.b', status: 'RECEIVED', actor: 'lambda-2', detail: {} });
    const third = await store.audit.appendEvent({ changeId: 'known-head-2', type: 'step.c', status: 'RECEIVED', actor: 'lambda-1', detail: {} });
    const { events } = await store.audit.listEvents('known-head-2');
    expect(events.map((e) => [e.seq, e.actor])).toEqual([
      [1, 'lambda-1'],
      [2, 'lambda-2'],
      [3, 'lambda-1'],
    ]);
    expect(third.prevHash).toBe(events[1]?.hash);
    expect(await store.audit.verify('known-head-2')).toEqual({ changeId: 'known-head-2', valid: true, events: 3 });
  });

  const tampering: Array<[string, unknown]> = [
    ['changeId', 'someone-else'],
    ['seq', 9],
    ['at', '2020-01-01T00:00:00.000Z'],
    ['type', 'change.succeeded'],
    ['status', 'SUCCEEDED'],
    ['actor', 'mallory'],
    ['detail', canonicalJson({ i: 3, note: 'rewritten' })],
    ['detail', '{ "i": 3, "note": "ok" }'],
    ['prevHash', 'f'.repeat(64)],
    ['hash', 'e'.repeat(64)],
    ['extra', 'added later'],
  ];

  it.each(tampering)('names event 3 when its %s is altered to %j', async (attribute, value) => {
    const changeId = `tamper-${attribute}-${typeof value === 'string' ? value.length : 'n'}`;
    await chainOf(changeId, 5);
    expect((await store.audit.verify(changeId)).valid).toBe(true);
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.event(changeId, 3),
        UpdateExpression: 'SET #a = :v',
        ExpressionAttributeNames: { '#a': attribute },
        ExpressionAttributeValues: { ':v': value },
      }),
    );
    const verdict = await store.audit.verify(changeId);
    expect(verdict).toMatchObject({ changeId, valid: false, events: 5, firstBadSeq: 3 });
    expect(verdict.problem).toMatch(/event 3/);
  });

  it('names event 3 when its status attribute is removed', async () => {
    await chainOf('tamper-remove', 5);
    await table.client.send(
      new UpdateCommand({ TableName: table.tableName, Key: keys.event('tamper-remove', 3), UpdateExpression: 'REMOVE #s', ExpressionAttributeNames: { '#s': 'status' } }),
    );
    expect(await store.audit.verify('tamper-remove')).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  it('names the gap when an event in the middle is deleted', async () => {
    await chainOf('tamper-gap', 5);
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: keys.event('tamper-gap', 2) }));
    expect(await store.audit.verify('tamper-gap')).toMatchObject({ valid: false, firstBadSeq: 2 });
  });

  it('notices the last events were deleted, from the head the change record keeps', async () => {
    await chainOf('tamper-tail', 5);
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: keys.event('tamper-tail', 5) }));
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: keys.event('tamper-tail', 4) }));
    expect(await store.audit.verify('tamper-tail')).toMatchObject({ valid: false, events: 3, firstBadSeq: 4 });
  });

  it('refuses a forked event re-written with a valid hash but the wrong predecessor', async () => {
    await chainOf('tamper-rehash', 4);
    const { events } = await store.audit.listEvents('tamper-rehash');
    const forged = { ...events[2], actor: 'mallory' };
    const { hashEvent } = await import('../../../shared/store/index.js');
    const { hash: _h, ...unsealed } = forged as NonNullable<typeof forged>;
    const rehashed = { ...unsealed, hash: hashEvent(unsealed as Parameters<typeof hashEvent>[0]) };
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.event('tamper-rehash', 3), ...rehashed, detail: canonicalJson(rehashed.detail) } }),
    );
    // Event 3 is self-consistent now; event 4 still points at the original event 3.
    expect(await store.audit.verify('tamper-rehash')).toMatchObject({ valid: false, firstBadSeq: 4 });
  });

  it('keeps a detail over 64 KB whole in chunked items and inline only as a digest', async () => {
    await store.changes.create(newChange('large-detail'));
    const big = { facts: Array.from({ length: 4000 }, (_, i) => ({ dn: `uni/tn-k8s/out-l3/lnodep-${i}`, status: 'created' })) };
    expect(canonicalJson(big).length).toBeGreaterThan(inlineDetailBytes);
    const event = await store.audit.appendEvent({ changeId: 'large-detail', type: 'facts.gathered', status: 'PRECHECKING', actor: 'agent', detail: big });
    expect(event.detail).toMatchObject({ summarised: true, bytes: canonicalJson(big).length });
    const stored = await table.client.send(new GetCommand({ TableName: table.tableName, Key: keys.event('large-detail', 1) }));
    expect(String(stored.Item?.['detail']).length).toBeLessThan(2000);
    expect(await store.audit.eventDetail(event)).toEqual(big);
    expect(await store.audit.verify('large-detail')).toMatchObject({ valid: true, events: 1 });
  });

  it('names the event whose summarised detail chunk was altered', async () => {
    await store.changes.create(newChange('large-tamper'));
    await store.audit.appendEvent({ changeId: 'large-tamper', type: 'change.received', status: 'RECEIVED', actor: 'intake', detail: {} });
    const big = { blob: 'x'.repeat(100_000) };
    const event = await store.audit.appendEvent({ changeId: 'large-tamper', type: 'plan.created', status: 'PLANNED', actor: 'planner', detail: big });
    const ref = (event.detail as { document: { name: string; digest: string } }).document;
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.documentChunk('large-tamper', ref.name, ref.digest, 0),
        UpdateExpression: 'SET #d = :d',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':d': Buffer.from(canonicalJson({ blob: 'y'.repeat(100_000) })) },
      }),
    );
    expect(await store.audit.verify('large-tamper')).toMatchObject({ valid: false, firstBadSeq: 2 });
  });
});
