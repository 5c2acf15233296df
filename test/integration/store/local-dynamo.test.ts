import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynalite } from '../../../local/dynamo/dynalite.js';
import { ensureTable } from '../../../local/dynamo/ensure-table.js';
import { createStore, createTableInput } from '../../../shared/store/index.js';
import { localClient } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('local DynamoDB (dynalite)', () => {
  it('creates the table from the shared definition once, and keeps data in dataDir across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'changeflow-dynamo-'));
    dirs.push(dataDir);

    const first = await startDynalite({ dataDir });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const raw1 = localClient(first.endpoint);
    await ensureTable(raw1, 'changeflow');
    await ensureTable(raw1, 'changeflow');
    const described = await raw1.send(new DescribeTableCommand({ TableName: 'changeflow' }));
    expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      createTableInput().GlobalSecondaryIndexes?.map((i) => i.IndexName).sort(),
    );
    const store1 = createStore({ client: DynamoDBDocumentClient.from(raw1), now: testClock().now });
    await store1.changes.create(newChange('persisted-1'));
    await store1.audit.appendEvent({ changeId: 'persisted-1', type: 'change.received', status: 'RECEIVED', actor: 'intake' });
    raw1.destroy();
    await first.close();

    const second = await startDynalite({ dataDir });
    const raw2 = localClient(second.endpoint);
    await ensureTable(raw2, 'changeflow');
    const store2 = createStore({ client: DynamoDBDocumentClient.from(raw2), now: testClock().now });
    expect((await store2.changes.require('persisted-1')).status).toBe('RECEIVED');
    expect(await store2.audit.verify('persisted-1')).toEqual({ changeId: 'persisted-1', valid: true, events: 1 });
    raw2.destroy();
    await second.close();
  });
});
