import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExport, auditList, auditShow, auditVerify, type CommandIo } from '../../../cli/commands/audit.js';
import { unlockTarget } from '../../../cli/commands/unlock.js';
import { renderChangeScreen } from '../../../cli/change-screen.js';
import { ExitCode } from '../../../cli/exit-codes.js';
import { renderTimelinePage } from '../../../shared/report/timeline-page.js';
import { createStore, type Store } from '../../../shared/store/index.js';
import { keys } from '../../../shared/store/keys.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';
import { newChange, testClock } from './store-fixtures.js';

let table: TestTable;
let store: Store;
let dataDir: string;
const clock = testClock('2026-11-03T10:00:00.000Z');

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

beforeAll(async () => {
  table = await startTestTable();
  store = createStore({ client: table.client, tableName: table.tableName, now: clock.now });
  dataDir = await mkdtemp(join(tmpdir(), 'changeflow-cli-'));
  await writeFile(join(dataDir, 'endpoints.json'), JSON.stringify({ api: 'http://127.0.0.1:1', dynamodb: table.endpoint }));

  await store.changes.create(newChange('cli-ok', { ticket: { system: 'servicenow', key: 'abc', number: 'CHG0030001' } }));
  const steps: Array<[string, 'PRECHECKING' | 'PLANNED' | 'APPLYING' | 'VERIFYING' | 'SUCCEEDED', number]> = [
    ['lock.acquired', 'PRECHECKING', 1200],
    ['plan.created', 'PLANNED', 850],
    ['apply.aci.op', 'APPLYING', 64_000],
    ['verify.connectivity', 'VERIFYING', 3_725_000],
    ['change.succeeded', 'SUCCEEDED', 300],
  ];
  await store.audit.appendEvent({ changeId: 'cli-ok', type: 'change.received', status: 'RECEIVED', actor: 'intake' });
  for (const [type, status, afterMs] of steps) {
    clock.advance(afterMs);
    await store.changes.updateStatus('cli-ok', status);
    await store.audit.appendEvent({ changeId: 'cli-ok', type, status, actor: type.startsWith('apply') ? 'agent@dc1' : 'workflow' });
  }

  clock.advance(60_000);
  await store.changes.create(newChange('cli-stuck', { targets: { site: 'dc1', fabric: 'dc9-aci', cluster: 'prod-z' } }));
  await store.audit.appendEvent({ changeId: 'cli-stuck', type: 'change.received', status: 'RECEIVED', actor: 'intake' });
  await store.locks.acquire(['fabric:dc9-aci', 'cluster:prod-z'], 'cli-stuck', 60_000);
  for (const status of ['PRECHECKING', 'PLANNED', 'APPLYING', 'ROLLING_BACK', 'ROLLBACK_FAILED'] as const) await store.changes.updateStatus('cli-stuck', status);
});

afterAll(async () => {
  await table.close();
  await rm(dataDir, { recursive: true, force: true });
});

const flags = () => ({ dynamodb: table.endpoint, dataDir: '/nonexistent' });

describe('changeflow audit', () => {
  it('lists changes newest first, reading the endpoint from endpoints.json', async () => {
    const io = captured();
    expect(await auditList({ dataDir }, io)).toBe(ExitCode.ok);
    const lines = io.out.trim().split('\n');
    expect(lines[0]).toMatch(/^CREATED\s+CHANGE\s+STATUS\s+TICKET\s+FABRIC\s+CLUSTER\s+BY$/);
    expect(lines[1]).toMatch(/cli-stuck\s+ROLLBACK_FAILED/);
    expect(lines[2]).toMatch(/cli-ok\s+SUCCEEDED\s+servicenow CHG0030001\s+dc1-aci\s+prod-a\s+alice/);
    expect(lines[3]).toBe('2 changes');
  });

  it('filters by status as JSON and refuses an unknown status as bad input', async () => {
    const io = captured();
    expect(await auditList({ ...flags(), status: 'ROLLBACK_FAILED', json: true }, io)).toBe(ExitCode.ok);
    expect((JSON.parse(io.out) as { changes: Array<{ changeId: string }> }).changes.map((c) => c.changeId)).toEqual(['cli-stuck']);
    const bad = captured();
    expect(await auditList({ ...flags(), status: 'DONE' }, bad)).toBe(ExitCode.badInput);
    expect(bad.err).toMatch(/status/);
  });

  it('shows a readable timeline: step, status, time since the previous event, actor', async () => {
    const io = captured();
    expect(await auditShow('cli-ok', flags(), io)).toBe(ExitCode.ok);
    expect(io.out).toMatch(/^change cli-ok {2}SUCCEEDED {2}\(apply\)/);
    const rows = io.out.split('\n').filter((l) => /^\d+\s/.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/).slice(2))).toEqual([
      ['-', 'change.received', 'RECEIVED', 'intake', '-'],
      ['+1.2s', 'lock.acquired', 'PRECHECKING', 'workflow', '-'],
      ['+850ms', 'plan.created', 'PLANNED', 'workflow', '-'],
      ['+1m04s', 'apply.aci.op', 'APPLYING', 'agent@dc1', '-'],
      ['+1h02m', 'verify.connectivity', 'VERIFYING', 'workflow', '-'],
      ['+300ms', 'change.succeeded', 'SUCCEEDED', 'workflow', '-'],
    ]);
    expect(io.out).toMatch(/chain intact \(6 events\)\n$/);
    const missing = captured();
    expect(await auditShow('no-such', flags(), missing)).toBe(ExitCode.notFound);
    expect(missing.err).toMatch(/no-such/);
  });

  it('says how long the change took in the same words as the timeline page: first event to last', async () => {
    const io = captured();
    await auditShow('cli-ok', flags(), io);
    const took = /took (\S+)\n/.exec(io.out)?.[1];
    const { change, events } = await store.getChangeWithEvents('cli-ok');
    expect(took).toBe('1h03m');
    expect(renderTimelinePage({ change, events, chain: { valid: true } })).toContain(`<dt>Duration</dt><dd>${took}</dd>`);
    expect(renderChangeScreen({ change, events, final: true, api: 'http://api', now: Date.parse(change.updatedAt) })).toContain(`took ${took}\n`);
  });

  it('exports events as CSV and JSONL', async () => {
    const csv = captured();
    expect(await auditExport({ ...flags(), format: 'csv', what: 'events' }, csv)).toBe(ExitCode.ok);
    const lines = csv.out.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('changeId,seq,at,type,status,actor,detail,prevHash,hash');
    expect(lines).toHaveLength(1 + 6 + 1);
    const jsonl = captured();
    expect(await auditExport({ ...flags(), format: 'jsonl', what: 'changes' }, jsonl)).toBe(ExitCode.ok);
    expect(jsonl.out.trim().split('\n').map((l) => (JSON.parse(l) as { changeId: string }).changeId)).toEqual(['cli-ok', 'cli-stuck']);
    expect(await auditExport({ ...flags(), format: 'xml', what: 'events' }, captured())).toBe(ExitCode.badInput);
  });

  it('unlocks a held target with a reason, recorded in the owner change’s trail', async () => {
    const io = captured();
    expect(await unlockTarget('fabric:dc9-aci', { ...flags(), reason: 'inverse applied by hand', by: 'bob' }, io)).toBe(ExitCode.ok);
    expect(io.out).toMatch(/unlocked fabric#dc9-aci \(was held after ROLLBACK_FAILED by change cli-stuck\); recorded as event 2 of cli-stuck by bob/);
    const show = captured();
    await auditShow('cli-stuck', flags(), show);
    expect(show.out).toMatch(/lock\.released\.forced\s+ROLLBACK_FAILED\s+bob/);
    expect(await unlockTarget('dc9-aci', { ...flags(), reason: 'x' }, captured())).toBe(ExitCode.badInput);
    expect(await unlockTarget('fabric:dc9-aci', { ...flags(), reason: '  ' }, captured())).toBe(ExitCode.badInput);
  });

  it('verify prints the verdict and the real binary exits 1 on a tampered chain', async () => {
    const io = captured();
    expect(await auditVerify('cli-ok', flags(), io)).toBe(ExitCode.ok);
    expect(JSON.parse(io.out)).toEqual({ changeId: 'cli-ok', valid: true, events: 6 });
    await table.client.send(
      new UpdateCommand({ TableName: table.tableName, Key: keys.event('cli-ok', 4), UpdateExpression: 'SET actor = :a', ExpressionAttributeValues: { ':a': 'someone' } }),
    );
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ['bin/changeflow.mjs', 'audit', 'verify', 'cli-ok', '--dynamodb', table.endpoint], (err, stdout) =>
        resolve({ code: err ? (err as { code?: number }).code ?? null : 0, stdout }),
      );
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ changeId: 'cli-ok', valid: false, events: 6, firstBadSeq: 4 });
  });
});
