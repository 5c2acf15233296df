import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditShow, auditVerify, auditVerifyAll, type CommandIo } from '../../../cli/commands/audit.js';
import { ExitCode } from '../../../cli/exit-codes.js';
import { directoryAnchor } from '../../../functions/runtime/audit-anchor.js';
import { ensureAnchorSigningKey } from '../../../local/dev/plan-signing-key.js';
import { sealEvent, type AuditEvent } from '../../../shared/store/audit-event.js';
import { createStore, type Store } from '../../../shared/store/index.js';
import { eventItem } from '../../../shared/store/audit.js';
import { keys } from '../../../shared/store/keys.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

// Part 2 of issue #13 over the wire: dynalite holds the table, a real digest directory holds the
// anchor. Each attack is one a writer of the table can make without any key; the table's own chain
// check passes after each (shown with an unanchored store), and the anchor catches every one.

let table: TestTable;
let store: Store;
let tableOnly: Store;
let dataDir: string;
const clock = testClock('2026-12-03T07:14:16.000Z', 1000);

function captured(): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    colour: false,
    write: async (text: string) => {
      io.out += text;
    },
    error: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

async function changeWithEvents(changeId: string, count: number): Promise<void> {
  await store.changes.create(newChange(changeId));
  for (let i = 1; i <= count; i += 1) {
    await store.audit.appendEvent({ changeId, type: i === 1 ? 'change.received' : 'apply.aci.op', actor: 'workflow', detail: { step: i } });
  }
}

async function itemsOf(changeId: string): Promise<Array<Record<string, unknown>>> {
  const out = await table.client.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.changePartition(changeId) }, ConsistentRead: true }),
  );
  return out.Items ?? [];
}

async function eventsOf(changeId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of store.audit.iterateEvents(changeId)) events.push(event);
  return events;
}

async function deleteItem(item: Record<string, unknown>): Promise<void> {
  await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: item['pk'], sk: item['sk'] } }));
}

async function setHead(changeId: string, head: { seq: number; hash: string }): Promise<void> {
  await table.client.send(
    new UpdateCommand({ TableName: table.tableName, Key: keys.change(changeId), UpdateExpression: 'SET auditHead = :h', ExpressionAttributeValues: { ':h': head } }),
  );
}

const verifyFlags = () => ({ dynamodb: table.endpoint, dataDir });
const namesTheAnchor = /anchor \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(heads\/[^ ]+\.json in [^)]+audit-anchor\) says seq \d+ hash [0-9a-f]{12}…/;

beforeAll(async () => {
  table = await startTestTable();
  dataDir = await mkdtemp(join(tmpdir(), 'changeflow-anchor-'));
  const key = await ensureAnchorSigningKey(dataDir);
  const anchor = directoryAnchor(join(dataDir, 'audit-anchor'), { signingKeyFile: key.privateKeyFile, now: clock.now });
  store = createStore({ client: table.client, tableName: table.tableName, now: clock.now, anchor });
  tableOnly = createStore({ client: table.client, tableName: table.tableName, now: clock.now });
  for (const id of ['untouched', 'rewritten', 'truncated', 'restored', 'deleted', 'unanchored-tail']) await changeWithEvents(id, 5);
});

afterAll(async () => {
  await table.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('audit verify against the anchor', () => {
  it('an untouched change verifies: exit 0, the table ends at the newest anchored head', async () => {
    const io = captured();
    expect(await auditVerify('untouched', verifyFlags(), io)).toBe(ExitCode.ok);
    const verdict = JSON.parse(io.out) as { valid: boolean; events: number; anchor: { state: string; head: { seq: number } } };
    expect(verdict).toMatchObject({ valid: true, events: 5, anchor: { state: 'matched', head: { seq: 5 } } });
    expect(io.err).toBe('');
    const shown = captured();
    expect(await auditShow('untouched', verifyFlags(), shown)).toBe(ExitCode.ok);
    expect(shown.out).toMatch(/chain intact \(5 events; matches anchor seq 5 \(.*audit-anchor\)\)\n$/);
  });

  it('a chain rewritten consistently (every hash recomputed, head updated) → exit 1 naming the anchor', async () => {
    const events = await eventsOf('rewritten');
    let prevHash = '0'.repeat(64);
    for (const event of events) {
      const { hash: _hash, ...rest } = event;
      const forged = sealEvent({ ...rest, detail: event.seq === 2 ? { step: 2, forged: true } : event.detail, prevHash });
      await table.client.send(new PutCommand({ TableName: table.tableName, Item: eventItem(forged) }));
      prevHash = forged.hash;
    }
    await setHead('rewritten', { seq: 5, hash: prevHash });
    expect((await tableOnly.audit.verify('rewritten')).valid).toBe(true);

    const io = captured();
    expect(await auditVerify('rewritten', verifyFlags(), io)).toBe(ExitCode.failed);
    expect(io.err).toMatch(namesTheAnchor);
    expect(io.err).toMatch(/says seq 5 hash [0-9a-f]{12}…; the table's event 5 has hash [0-9a-f]{12}…/);
  });

  it('a chain truncated with its head lowered → exit 1: the anchor says seq 5, the table ends at seq 3', async () => {
    const events = await eventsOf('truncated');
    for (const item of (await itemsOf('truncated')).filter((i) => /EVENT#000000000[45]$/.test(String(i['sk'])))) await deleteItem(item);
    const third = events[2];
    if (!third) throw new Error('expected 5 events');
    await setHead('truncated', { seq: 3, hash: third.hash });
    expect((await tableOnly.audit.verify('truncated')).valid).toBe(true);

    const io = captured();
    expect(await auditVerify('truncated', verifyFlags(), io)).toBe(ExitCode.failed);
    expect(io.err).toMatch(namesTheAnchor);
    expect(io.err).toMatch(/says seq 5 hash [0-9a-f]{12}…; the table ends at seq 3/);
  });

  it('a change restored to an earlier full copy of its items → exit 1', async () => {
    const copy = await itemsOf('restored');
    for (let i = 0; i < 2; i += 1) await store.audit.appendEvent({ changeId: 'restored', type: 'verify.connectivity', actor: 'agent@dc1' });
    for (const item of await itemsOf('restored')) await deleteItem(item);
    for (const item of copy) await table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
    expect((await tableOnly.audit.verify('restored')).valid).toBe(true);

    const io = captured();
    expect(await auditVerify('restored', verifyFlags(), io)).toBe(ExitCode.failed);
    expect(io.err).toMatch(/says seq 7 hash [0-9a-f]{12}…; the table ends at seq 5/);
  });

  it('a change deleted from the table → exit 1 (not "not found"): the anchor still lists it', async () => {
    for (const item of await itemsOf('deleted')) await deleteItem(item);
    const io = captured();
    expect(await auditVerify('deleted', verifyFlags(), io)).toBe(ExitCode.failed);
    expect(io.err).toMatch(namesTheAnchor);
    expect(io.err).toMatch(/the table has no change deleted/);
    // A change neither side knows is simply not found.
    const missing = captured();
    expect(await auditVerify('never-existed', verifyFlags(), missing)).toBe(ExitCode.notFound);
  });

  it('an anchor digest removed from the directory is a finding too: the table then has unanchored events', async () => {
    const dir = join(dataDir, 'audit-anchor', 'heads', 'unanchored-tail');
    const files = (await readdir(dir)).sort();
    const last = files[files.length - 1];
    if (!last) throw new Error('expected digest files');
    await unlink(join(dir, last));
    const io = captured();
    expect(await auditVerify('unanchored-tail', verifyFlags(), io)).toBe(ExitCode.failed);
    expect(io.err).toMatch(/says seq 4 hash [0-9a-f]{12}…; the table has 5 events, so events 5–5 were never anchored/);
  });

  it('audit verify --all checks every anchored change, the deleted one included, and exits 1', async () => {
    const io = captured();
    expect(await auditVerifyAll({ ...verifyFlags(), since: '2026-12-01T00:00:00Z' }, io)).toBe(ExitCode.failed);
    const verdicts = io.out.trim().split('\n').map((line) => JSON.parse(line) as { changeId: string; valid: boolean });
    expect(Object.fromEntries(verdicts.map((v) => [v.changeId, v.valid]))).toEqual({
      deleted: false,
      restored: false,
      rewritten: false,
      truncated: false,
      'unanchored-tail': false,
      untouched: true,
    });
    expect(io.err).toMatch(/6 changes checked against .*audit-anchor: 5 problem\(s\)/);
    const later = captured();
    expect(await auditVerifyAll({ ...verifyFlags(), since: '2027-01-01T00:00:00Z' }, later)).toBe(ExitCode.ok);
    expect(later.err).toMatch(/0 changes checked/);
  });
});
