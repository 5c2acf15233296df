import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoResultStore } from '../../../agent/result-store.js';
import { AgentResultRef, PROTOCOL, type AgentResult } from '../../../shared/agent-protocol/index.js';
import { agentResultChunks, createStore, type Store } from '../../../shared/store/index.js';
import { loadAgentResult } from '../../../shared/workflow/documents.js';
import type { WorkflowState } from '../../../shared/workflow/state.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';

// Issue 20: a result too large for Step Functions goes by reference. The agent's store writes its
// chunks under RESULT#<changeId> over the wire (dynalite, the real SDK); the workflow step reads it
// back only when chunks, length and sha256 match what the agent sent — a stored result rewritten
// after the fact, one of another change, or one with a chunk missing is refused.

let table: TestTable;
let store: Store;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: () => new Date() });
});
afterAll(async () => {
  await table?.close();
});

function gathered(changeId: string, objects: number): AgentResult {
  return {
    protocol: PROTOCOL, changeId, step: 'gather-facts', agent: { name: 'it-agent', version: '0.0.0' },
    startedAt: '2026-12-04T00:00:00.000Z', finishedAt: '2026-12-04T00:00:01.000Z',
    results: [{ type: 'cluster.collect', objects: Array.from({ length: objects }, (_, i) => ({ kind: 'Service', metadata: { name: `svc-${i}`, annotations: { note: 'y'.repeat(400) } } })) }],
  };
}

async function stored(result: AgentResult): Promise<AgentResultRef> {
  const { ref, items } = agentResultChunks(result.changeId, result.step, Buffer.from(JSON.stringify(result), 'utf8'), PROTOCOL);
  await dynamoResultStore({ tableName: table.tableName, region: 'us-east-1', endpoint: table.endpoint }, {}).put(items);
  return AgentResultRef.parse(ref);
}

const stateOf = (changeId: string, answer: unknown): WorkflowState => ({ change: { changeId }, agentResult: answer }) as WorkflowState;

describe('agent results by reference', () => {
  it('reads back a stored multi-chunk result whole, exactly as the agent sent it', async () => {
    const result = gathered('ref-ok', 2000);
    const ref = await stored(result);
    expect(ref.ref.chunks).toBeGreaterThan(2);
    expect(await loadAgentResult({ store }, stateOf('ref-ok', ref))).toEqual(result);
    // An inline answer is used as it came.
    const small = gathered('ref-ok', 1);
    expect(await loadAgentResult({ store }, stateOf('ref-ok', small))).toEqual(small);
  });

  it('refuses a stored result rewritten after the agent sent its reference (same key, other content)', async () => {
    const ref = await stored(gathered('ref-forged', 1500));
    const chunks = await table.client.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'RESULT#ref-forged' } }));
    const first = chunks.Items?.[0];
    if (!first) throw new Error('no chunk stored');
    const data = Buffer.from(first['data'] as Uint8Array);
    // A table writer flips the first service's name: same length, same key, other bytes.
    const forged = Buffer.from(data.toString('utf8').replace('svc-0', 'svc-X'), 'utf8');
    expect(forged.length).toBe(data.length);
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...first, data: new Uint8Array(forged) } }));
    await expect(loadAgentResult({ store }, stateOf('ref-forged', ref))).rejects.toMatchObject({ name: 'AgentResultRefused', message: expect.stringContaining('expected sha256') });
  });

  it('refuses a reference to another change\'s result, a missing chunk and a length that does not match', async () => {
    const ref = await stored(gathered('ref-other', 1500));
    await expect(loadAgentResult({ store }, stateOf('ref-mine', ref))).rejects.toMatchObject({ name: 'AgentResultRefused', message: expect.stringContaining('it names change ref-other') });
    await expect(loadAgentResult({ store }, stateOf('ref-other', { ...ref, ref: { ...ref.ref, chunks: ref.ref.chunks + 1 } }))).rejects.toMatchObject({ name: 'AgentResultRefused', message: expect.stringContaining('chunks') });
    await expect(loadAgentResult({ store }, stateOf('ref-other', { ...ref, bytes: ref.bytes - 1 }))).rejects.toMatchObject({ name: 'AgentResultRefused', message: expect.stringContaining('bytes') });
    // Stored under this change but claiming to be another step's result.
    const verify = { ...gathered('ref-step', 1500), step: 'verify' };
    const { items } = agentResultChunks('ref-step', 'gather-facts', Buffer.from(JSON.stringify(verify), 'utf8'), PROTOCOL);
    await dynamoResultStore({ tableName: table.tableName, region: 'us-east-1', endpoint: table.endpoint }, {}).put(items);
    const stepRef = agentResultChunks('ref-step', 'gather-facts', Buffer.from(JSON.stringify(verify), 'utf8'), PROTOCOL).ref;
    await expect(loadAgentResult({ store }, stateOf('ref-step', stepRef))).rejects.toMatchObject({ name: 'AgentResultRefused', message: expect.stringContaining('verify result') });
  });
});
