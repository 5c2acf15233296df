import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeStatus } from '../../shared/store/index.js';
import { startApiStack, type ApiStack } from '../integration/api/harness.js';
import { chromiumPath, hasChromium, openPage } from '../support/e2e-chromium.js';
import { decodePng, shareOf, type Pixels } from '../support/png-pixels.js';

/** Pixels of the status badges' colours on a screenshot: green (PLANNED), red (REJECTED). */
function badgePixels(shot: Pixels): { good: number; bad: number } {
  const all = { x: 0, y: 0, width: shot.width, height: shot.height };
  const count = (hex: string) => Math.round(shareOf(shot, hex, all, 6) * shot.width * shot.height);
  return { good: count('#1a7f37'), bad: count('#cf222e') };
}

// The site's front page in headless Chromium: `/` lists every change newest first with filters
// (status, ticket, target, time) as a GET form; `/changes` opened in a browser is the same page,
// filtered by its query; an unknown change is an HTML 404 that leads back to the index.

const size = { width: 1280, height: 1100 };
let stack: ApiStack;
let shots: string;

async function record(changeId: string, status: ChangeStatus, ticket: string, cluster: string): Promise<void> {
  await stack.store.changes.create({
    changeId, ticket: { system: 'servicenow', key: changeId, number: ticket }, source: 'servicenow', targets: { site: 'dc1', fabric: 'dc1-aci', cluster }, requestedBy: 'jane.doe', mode: 'apply',
  });
  if (status !== 'RECEIVED') {
    await stack.store.changes.updateStatus(changeId, 'PRECHECKING');
    await stack.store.changes.updateStatus(changeId, status);
  }
}

beforeAll(async () => {
  // Each record a second after the last, so "newest first" has an order to show without waiting.
  let at = Date.now();
  stack = await startApiStack({}, { now: () => new Date((at += 1000)) });
  shots = process.env['CHANGEFLOW_E2E_ARTIFACTS'] ?? (await mkdtemp(join(tmpdir(), 'changeflow-index-shots-')));
  await record('snow-CHG0030101-0', 'REJECTED', 'CHG0030101', 'prod-a');
  await record('snow-CHG0030102-0', 'PLANNED', 'CHG0030102', 'prod-b');
  await record('snow-CHG0030103-0', 'REJECTED', 'CHG0030103', 'prod-a');
});
afterAll(async () => {
  await stack?.close();
  if (shots && !process.env['CHANGEFLOW_E2E_ARTIFACTS']) await rm(shots, { recursive: true, force: true });
});

const rowIds = (dom: string) => [...dom.matchAll(/<tr class="change">.*?<a href="\/changes\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1] ?? ''));

describe.skipIf(!hasChromium)(`the index of changes in headless Chromium (${chromiumPath})`, () => {
  it('shows every change at /, newest first, each linking to its timeline, with the filter form', { timeout: 60_000 }, async () => {
    const file = join(shots, 'index.png');
    const dom = await openPage(`${stack.url}/`, file, size);
    expect((await readFile(file)).length).toBeGreaterThan(10 * 1024);
    expect(dom).toContain('<title>Changes · changeflow</title>');
    expect(rowIds(dom)).toEqual(['snow-CHG0030103-0', 'snow-CHG0030102-0', 'snow-CHG0030101-0']);
    expect(dom).toMatch(/<form class="filters" method="get" action="\/changes">/);
    for (const name of ['status', 'ticket', 'target', 'since', 'until']) expect(dom, name).toContain(`name="${name}"`);
    expect(dom).toContain('<span class="badge good">PLANNED</span>');
    const shown = badgePixels(decodePng(await readFile(file)));
    expect(shown.good).toBeGreaterThan(200);
    expect(shown.bad).toBeGreaterThan(400);
  });

  it('serves /changes to a browser as the same page, filtered by status, target, ticket and time as the form sends them', { timeout: 60_000 }, async () => {
    const byStatus = await openPage(`${stack.url}/changes?status=REJECTED&ticket=&target=&since=&until=`, join(shots, 'index-rejected.png'), size);
    expect(rowIds(byStatus)).toEqual(['snow-CHG0030103-0', 'snow-CHG0030101-0']);
    expect(byStatus).toContain('<option value="REJECTED" selected="">REJECTED</option>');
    // On the screenshot: only red REJECTED badges are left, no green one.
    const filtered = badgePixels(decodePng(await readFile(join(shots, 'index-rejected.png'))));
    expect(filtered.bad).toBeGreaterThan(400);
    expect(filtered.good).toBeLessThan(20);
    const byTarget = await openPage(`${stack.url}/changes?target=cluster%3Aprod-b`, join(shots, 'index-target.png'), size);
    expect(rowIds(byTarget)).toEqual(['snow-CHG0030102-0']);
    const byTicket = await openPage(`${stack.url}/changes?ticket=CHG0030101`, join(shots, 'index-ticket.png'), size);
    expect(rowIds(byTicket)).toEqual(['snow-CHG0030101-0']);
    const future = await openPage(`${stack.url}/changes?since=2999-01-01`, join(shots, 'index-future.png'), size);
    expect(rowIds(future)).toEqual([]);
    expect(future).toContain('No change matches since 2999-01-01T00:00:00Z.');
    // Scripts and machines still get JSON from the same URL.
    const json = (await (await fetch(`${stack.url}/changes?status=REJECTED`, { headers: { accept: 'application/json' } })).json()) as { changes: unknown[] };
    expect(json.changes).toHaveLength(2);
  });

  it('answers a browser asking for an unknown change with an HTML 404 that links the index', { timeout: 60_000 }, async () => {
    const res = await fetch(`${stack.url}/changes/no-such-change`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    await res.arrayBuffer();
    const file = join(shots, 'not-found.png');
    const dom = await openPage(`${stack.url}/changes/no-such-change`, file, size);
    expect((await readFile(file)).length).toBeGreaterThan(5 * 1024);
    expect(dom).toContain('<h1>No change no-such-change</h1>');
    expect(dom).toContain('<a href="/changes">index of changes</a>');
  });
});
