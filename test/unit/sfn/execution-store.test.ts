import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../local/sfn/execution-record.js';
import { ExecutionStore, payloadByReferenceBytes } from '../../../local/sfn/execution-store.js';
import { jsonField, type HistoryEvent } from '../../../local/sfn/history.js';

// The gathered facts of a change pass through several history events; the stored record names
// them by digest and the text is written once, so a save does not rewrite each copy.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storeIn(): { store: ExecutionStore; dir: string; logs: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'changeflow-sfn-store-'));
  dirs.push(dir);
  const logs: string[] = [];
  return { store: new ExecutionStore(dir, (l) => logs.push(l)), dir, logs };
}

const facts = { agentResult: { results: [{ type: 'cluster.collect', objects: Array.from({ length: 400 }, (_, i) => ({ kind: 'Node', name: `node-${i}` })) }] } };

function recordWithFacts(): ExecutionRecord {
  const events: HistoryEvent[] = [];
  const add = (type: string, details: Record<string, unknown>) => events.push({ id: events.length + 1, previousEventId: events.length, timestamp: 1, type, [`${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`]: details });
  add('ActivitySucceeded', jsonField('output', facts.agentResult));
  add('TaskStateExited', { name: 'Gather facts @dc1', ...jsonField('output', facts) });
  add('PassStateEntered', { name: 'Gather facts: done', ...jsonField('input', facts) });
  add('TaskStateEntered', { name: 'Precheck', ...jsonField('input', { small: true }) });
  return { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:m:e1', stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m', name: 'e1', status: 'SUCCEEDED', startDate: 1, stopDate: 2, input: '{"x":1}', output: JSON.stringify(facts), events };
}

describe('ExecutionStore', () => {
  it('stores each large payload once by digest and reads the record back exactly as it was', () => {
    const { store, dir } = storeIn();
    const record = recordWithFacts();
    expect(Buffer.byteLength(JSON.stringify(facts))).toBeGreaterThan(payloadByReferenceBytes);
    store.save(record);
    store.save(record);
    const payloads = readdirSync(join(dir, 'sfn', 'payloads'));
    // facts (3 fields) and the agent's answer alone: two distinct texts.
    expect(payloads).toHaveLength(2);
    const [file] = readdirSync(join(dir, 'sfn', 'executions'));
    const saved = readFileSync(join(dir, 'sfn', 'executions', file!), 'utf8');
    expect(saved).not.toContain('node-399');
    expect(statSync(join(dir, 'sfn', 'executions', file!)).size).toBeLessThan(payloadByReferenceBytes);
    expect(new ExecutionStore(dir, () => undefined).load(3)).toEqual([record]);
  });

  it('ignores a record whose payload was altered, and says why', () => {
    const { store, dir, logs } = storeIn();
    store.save(recordWithFacts());
    const payloadDir = join(dir, 'sfn', 'payloads');
    for (const name of readdirSync(payloadDir)) writeFileSync(join(payloadDir, name), '{"forged":true}');
    expect(new ExecutionStore(dir, (l) => logs.push(l)).load(3)).toEqual([]);
    expect(logs.join('\n')).toMatch(/does not match its digest/);
  });
});
