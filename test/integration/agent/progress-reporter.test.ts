import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoProgressReporter } from '../../../agent/progress-reporter.js';
import type { AgentLog } from '../../../agent/log.js';
import type { AgentTask } from '../../../shared/agent-protocol/index.js';
import { createStore, type Store } from '../../../shared/store/index.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { eventuallyValue } from '../../support/eventually.js';

// The agent's half of the connectivity test's progress (issue 19 item 1): what the reporter
// writes over the wire is what GET /changes/{id}/events hands `submit --wait` (store.progress).

let table: TestTable;
let store: Store;
const warnings: string[] = [];
const log: AgentLog = { log: (level, message) => void (level === 'warn' && warnings.push(message)) } as AgentLog;
const task = { changeId: 'agent-progress-1', step: 'verify' } as AgentTask;

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: () => new Date() });
});
afterAll(async () => {
  await table?.close();
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  return eventuallyValue(read, ok, (last) => `progress still ${JSON.stringify(last)}`, { within: 5_000 });
}

describe('the agent\'s progress reporter', () => {
  it('writes the running step\'s progress to the change\'s PROGRESS# item, each new count of tests done', async () => {
    const reporter = dynamoProgressReporter({ tableName: table.tableName, region: 'us-east-1', endpoint: table.endpoint }, log, {});
    reporter.report(task, { what: 'connectivity test', done: 0, total: 12, running: 'no-policies' });
    const first = await until(() => store.progress.getProgress(task.changeId), (p) => p?.done === 0);
    expect(first).toMatchObject({ changeId: 'agent-progress-1', step: 'verify', what: 'connectivity test', done: 0, total: 12, running: 'no-policies' });
    reporter.report(task, { what: 'connectivity test', done: 5, total: 12, running: 'to-fqdns' });
    expect(await until(() => store.progress.getProgress(task.changeId), (p) => p?.done === 5)).toMatchObject({ done: 5, running: 'to-fqdns' });
    expect(warnings).toEqual([]);
  });

  it('drops a write it cannot make, with a warning, and never throws into the step', async () => {
    const reporter = dynamoProgressReporter({ tableName: 'no-such-table', region: 'us-east-1', endpoint: table.endpoint }, log, {});
    expect(() => reporter.report(task, { what: 'connectivity test', done: 1, total: 12 })).not.toThrow();
    await until(async () => warnings.length, (n) => n > 0);
    expect(warnings).toEqual(['progress not written']);
  });
});
