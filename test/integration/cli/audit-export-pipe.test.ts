import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../shared/store/index.js';
import { startTestTable, type TestTable } from '../../support/dynalite.js';

// Issue 19 item 7 through the real binary: `audit export | head` ends quietly (it crashed with
// EPIPE once head had read enough), and the CSV of changes carries each change's summary.

const bin = join(import.meta.dirname, '../../../bin/changeflow.mjs');
let table: TestTable;
let dir: string;

beforeAll(async () => {
  table = await startTestTable();
  dir = await mkdtemp(join(tmpdir(), 'changeflow-pipe-'));
  const store = createStore({ client: table.client, tableName: table.tableName, now: () => new Date() });
  // Enough output to outlast a pipe's buffer after head has gone: ~300 KB of JSONL.
  for (let c = 0; c < 3; c++) {
    const changeId = `pipe-${c}`;
    await store.changes.create({ changeId, summary: `loadBalancerPool pool-${c} 10.0.${c}.0/24 → ext-EPG default_svc`, ticket: { system: 'none', key: 'none' }, source: 'cli', targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, requestedBy: 'jane.doe', mode: 'plan-only' });
    for (let i = 0; i < 50; i++) await store.audit.appendEvent({ changeId, type: 'verify.check', actor: 'changeflow-workflow', detail: { evidence: 'x'.repeat(2000), i } });
  }
}, 120_000);
afterAll(async () => {
  await table?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs `changeflow ARGS | head -n LINES` in bash; the exit code and stderr are the CLI's own. */
function piped(args: string[], lines: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = [process.execPath, bin, ...args, '--dynamodb', table.endpoint, '--table', table.tableName].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `${cli} 2>cli.err | head -n ${lines}; echo "exit=\${PIPESTATUS[0]}"; cat cli.err >&2; rm -f cli.err`], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', () => resolve({ code: Number(/exit=(\d+)/.exec(stdout)?.[1] ?? -1), stdout: stdout.replace(/exit=\d+\n$/, ''), stderr }));
  });
}

describe('audit export on a pipe', () => {
  it('stops quietly with exit 0 when the reader (head) has had enough: no EPIPE, no stack', async () => {
    const { code, stdout, stderr } = await piped(['audit', 'export'], 1);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ changeId: expect.stringMatching(/^pipe-\d$/), seq: 1 });
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });

  it('writes each change\'s summary into the CSV of changes', async () => {
    const { code, stdout } = await piped(['audit', 'export', '--format', 'csv', '--what', 'changes'], 10);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.split('\r\n').filter(Boolean);
    const column = header?.split(',').indexOf('summary') ?? -1;
    expect(column).toBeGreaterThan(-1);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/loadBalancerPool pool-\d 10\.0\.\d\.0\/24 → ext-EPG default_svc/);
  });
});
