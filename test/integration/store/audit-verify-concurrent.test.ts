import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../../shared/store/index.js';
import { localClient, startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

// Found by the e2e suite (`npm start` under load): the demo verifies a change's chain as soon as
// its status is final, while the workflow still appends lock.released and ticket.closed. An event
// appended between verify's read of the events and its read of the recorded head made an intact
// chain read as "event N is missing".

let table: TestTable;
let writer: Store;

beforeAll(async () => {
  table = await startTestTable();
  writer = createStore({ client: table.client, tableName: table.tableName, now: testClock('2026-11-03T10:00:00.000Z', 100).now });
});
afterAll(async () => table.close());

/** A store whose every event Query is followed, before verify sees its answer, by `after()`. */
function storeWithHookAfterQuery(after: () => Promise<void>): Store {
  const raw = localClient(table.endpoint);
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === 'QueryCommand') await after();
      return out;
    },
    { step: 'initialize', name: 'appendWhileVerifying' },
  );
  return createStore({ client: DynamoDBDocumentClient.from(raw), tableName: table.tableName, now: () => new Date('2026-11-03T11:00:00.000Z') });
}

describe('audit verify while the workflow is still appending', () => {
  it('finds an intact chain intact when an event is appended between reading the events and the head', async () => {
    await writer.changes.create(newChange('verify-race-1'));
    for (const type of ['change.received', 'change.succeeded']) await writer.audit.appendEvent({ changeId: 'verify-race-1', type, actor: 'workflow', detail: {} });

    let appended = 0;
    const verifier = storeWithHookAfterQuery(async () => {
      if (appended++ === 0) await writer.audit.appendEvent({ changeId: 'verify-race-1', type: 'lock.released', actor: 'workflow', detail: {} });
    });
    const verdict = await verifier.audit.verify('verify-race-1');
    expect(appended).toBeGreaterThan(0);
    expect(verdict.valid, JSON.stringify(verdict)).toBe(true);
    expect(await writer.audit.verify('verify-race-1')).toEqual({ changeId: 'verify-race-1', valid: true, events: 3 });
  });
});
