import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { PROTOCOL } from '../../../shared/agent-protocol/index.js';
import { agentResultChunks, createStore, type Store } from '../../../shared/store/index.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

let table: TestTable;
const called = new Set<string>();

// Records which store operations the test exercised, so the proof covers every one of them.
function tracked(store: Store): Store {
  const wrap = <T extends object>(prefix: string, target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            called.add(`${prefix}${String(prop)}`);
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          };
        }
        if (value && typeof value === 'object') return wrap(`${String(prop)}.`, value);
        return value;
      },
    });
  return wrap('', store);
}

function operationsOf(store: Store): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(store)) {
    if (typeof value === 'function') names.push(key);
    else if (value && typeof value === 'object') {
      for (const [op, fn] of Object.entries(value)) if (typeof fn === 'function') names.push(`${key}.${op}`);
    }
  }
  return names.sort();
}

async function drain(lines: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of lines) n += 1;
  return n;
}

beforeAll(async () => {
  table = await startTestTable();
});
afterAll(async () => table.close());

describe('request types the store sends', () => {
  it('never issues a Scan, whichever operation runs', async () => {
    const clock = testClock('2026-11-03T10:00:00.000Z', 10);
    const raw = createStore({ client: table.client, tableName: table.tableName, now: clock.now });
    const store = tracked(raw);
    table.commands.reset();

    await store.changes.create(newChange('ns-1', { targets: { site: 'dc1', fabric: 'ns-aci', cluster: 'ns-k8s' } }));
    await store.changes.get('ns-1');
    await store.changes.require('ns-1');
    await store.changes.annotate('ns-1', { summary: 'BGP peering for prod-a' });
    for (const status of ['PRECHECKING', 'PLANNED', 'APPLYING', 'ROLLING_BACK'] as const) await store.changes.updateStatus('ns-1', status);
    await store.changes.list({ ticket: 'servicenow:CHG-ns-1' });
    await store.changes.list({ ticket: 'CHG-ns-1', target: 'fabric:ns-aci' });
    await store.changes.list({ target: 'cluster:ns-k8s', status: 'ROLLING_BACK' });
    await store.changes.list({ target: 'ns-aci' });
    await store.changes.list({ since: '2026-11-01T00:00:00Z', until: '2026-11-04T00:00:00Z' });
    await store.changes.list({});
    await drain(store.changes.iterate({}));

    const event = await store.audit.appendEvent({ changeId: 'ns-1', type: 'plan.created', status: 'PLANNED', actor: 'planner', detail: { big: 'x'.repeat(70_000) } });
    await store.audit.listEvents('ns-1');
    await drain(store.audit.iterateEvents('ns-1'));
    await store.audit.eventDetail(event);
    const first = await store.audit.eventPage('ns-1', { limit: 1 });
    await store.audit.eventPage('ns-1', { limit: 1, cursor: first.nextCursor });
    await store.audit.verify('ns-1');

    const ref = await store.documents.putDocument('ns-1', 'facts', { tree: 'y'.repeat(400_000) });
    await store.documents.getDocument(ref);

    await store.locks.acquire(['fabric:ns-aci', 'cluster:ns-k8s'], 'ns-1', 60_000);
    await store.locks.heartbeat(['fabric:ns-aci'], 'ns-1', 60_000);
    await store.locks.get('fabric:ns-aci');
    await store.locks.release(['cluster:ns-k8s'], 'ns-1');
    await store.changes.updateStatus('ns-1', 'ROLLBACK_FAILED');
    await store.locks.hold(['fabric:ns-aci'], 'ns-1', 'again');
    await store.locks.forceUnlock('fabric:ns-aci', 'bob', 'checked by hand');

    await store.deliveries.claimDelivery('k1', 'ns-1');
    await store.deliveries.claimDelivery('k1', 'ns-2');
    await store.deliveries.settleDelivery('k1', { outcome: 'started', changeId: 'ns-1' });
    await store.deliveries.recordDelivery({ key: 'k1', source: 'servicenow', outcome: 'duplicate', changeId: 'ns-1' });
    await store.deliveries.listDeliveryOutcomes('k1');
    await store.deliveries.listDeliveryOutcomesOfDay('2026-11-03');

    const freeze = await store.freezes.add({ target: 'fabric#ns-aci', from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00Z', reason: 'year end', by: 'cab' });
    await store.freezes.list();
    await store.freezes.remove(freeze.id, 'cab');
    await store.control.awaitApproval('ns-1', 'token-1', 'a'.repeat(64));
    await store.control.grant('ns-1', { by: 'jane', planHash: 'a'.repeat(64), at: '2026-11-03T10:00:00.000Z' });
    await store.control.requestAbort('ns-1', { by: 'jane', reason: 'test', at: '2026-11-03T10:00:00.000Z' });
    await store.control.get('ns-1');

    await store.progress.putProgress({ changeId: 'ns-1', step: 'verify', what: 'connectivity test', done: 3, total: 12, running: 'to-fqdns' });
    await store.progress.getProgress('ns-1');

    // What the agent writes for a result too large for Step Functions, read back as the step does.
    const stored = agentResultChunks('ns-1', 'gather-facts', Buffer.from(JSON.stringify({ objects: 'z'.repeat(700_000) })), PROTOCOL);
    for (const item of stored.items) await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...item } }));
    await store.agentResults.getAgentResult(stored.ref);

    await store.getChangeWithEvents('ns-1');
    await drain(store.exportEvents({}));
    await drain(store.exportLines({}, 'csv', 'events'));
    await drain(store.exportLines({}, 'jsonl', 'changes'));

    expect([...called].sort()).toEqual(operationsOf(raw));
    const counts = table.commands.counts();
    expect(counts['ScanCommand']).toBeUndefined();
    expect(counts['QueryCommand']).toBeGreaterThan(10);
    expect(Object.keys(counts).sort()).toEqual(
      ['DeleteItemCommand', 'GetItemCommand', 'PutItemCommand', 'QueryCommand', 'UpdateItemCommand'].sort(),
    );
  });

  it('would see a Scan if one were sent (the counter is not blind)', async () => {
    table.commands.reset();
    await table.raw.send(new ScanCommand({ TableName: table.tableName, Limit: 1 }));
    expect(table.commands.counts()).toEqual({ ScanCommand: 1 });
  });
});
