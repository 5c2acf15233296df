import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeCalendarChain } from '../../../shared/control/freeze-store.js';
import { root, startApiStack, type ApiStack } from '../api/harness.js';

// POST/GET/DELETE /freezes over the local API server and the real `changeflow freeze` binary
// against it; every add and remove lands in the calendar's audit chain.

const run = promisify(execFile);
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.close();
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin/changeflow.mjs'), 'freeze', ...args, '--api', stack.url], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const window = { from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00Z' };

describe('the freeze calendar over HTTP', () => {
  it('adds (201), lists and removes (204) a freeze, each recorded in the calendar chain', async () => {
    const added = await call('POST', '/freezes', { target: 'fabric:dc1-aci', ...window, reason: 'year end', by: 'cab' });
    expect(added.status).toBe(201);
    const freeze = added.body['freeze'] as { id: string; target: string; to: string };
    expect(freeze).toMatchObject({ id: expect.stringMatching(/^frz-[0-9a-f]{12}$/), target: 'fabric#dc1-aci', from: '2026-12-20T00:00:00.000Z', to: '2027-01-04T00:00:00.000Z', reason: 'year end', by: 'cab' });
    const listed = await call('GET', '/freezes');
    expect(listed.status).toBe(200);
    expect((listed.body['freezes'] as Array<{ id: string }>).map((f) => f.id)).toContain(freeze.id);
    expect((await call('DELETE', `/freezes/${freeze.id}?by=alice`)).status).toBe(204);
    expect((await call('GET', '/freezes')).body['freezes']).not.toContainEqual(expect.objectContaining({ id: freeze.id }));
    const events = await collect();
    const mine = events.filter((e) => JSON.stringify(e.detail).includes(freeze.id));
    expect(mine.map((e) => [e.type, e.actor])).toEqual([['freeze.added', 'cab'], ['freeze.removed', 'alice']]);
    expect((await stack.store.audit.verify(freezeCalendarChain)).valid).toBe(true);
  });

  it('refuses a bad freeze with 400 naming the field, and an unknown id with 404', async () => {
    const bad = await call('POST', '/freezes', { target: 'switch#x', from: window.to, to: window.from, reason: '', by: 'cab' });
    expect(bad.status).toBe(400);
    const paths = ((bad.body['error'] as { issues: Array<{ path: string }> }).issues).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['target', 'reason']));
    const backwards = await call('POST', '/freezes', { target: '*', from: window.to, to: window.from, reason: 'x', by: 'cab' });
    expect(backwards.body).toMatchObject({ error: { code: 'InvalidInput', issues: [{ path: 'to' }] } });
    expect((await call('DELETE', '/freezes/frz-000000000000')).status).toBe(404);
    expect((await call('DELETE', '/freezes/not-a-freeze')).status).toBe(400);
  });
});

async function collect() {
  const out = [];
  for await (const e of stack.store.audit.iterateEvents(freezeCalendarChain)) out.push(e);
  return out;
}

describe('changeflow freeze', () => {
  it('adds, lists (text and --json) and removes with exit 0; bad input exits 3, an unknown id 4', async () => {
    const add = await cli(['add', '--target', 'cluster:prod-a', '--from', window.from, '--to', window.to, '--reason', 'holiday freeze', '--by', 'cab', '--json']);
    expect(add.code, add.stderr).toBe(0);
    const { freeze } = JSON.parse(add.stdout) as { freeze: { id: string } };
    const list = await cli(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${freeze.id} .*cluster#prod-a .*holiday freeze \\(by cab\\)`));
    const json = JSON.parse((await cli(['list', '--json'])).stdout) as { freezes: Array<{ id: string }> };
    expect(json.freezes.map((f) => f.id)).toContain(freeze.id);
    const bad = await cli(['add', '--target', 'cluster:prod-a', '--from', 'tomorrow', '--to', window.to, '--reason', 'x']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('from');
    expect((await cli(['remove', freeze.id, '--by', 'cab'])).code).toBe(0);
    const again = await cli(['remove', freeze.id]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(freeze.id);
  });
});
