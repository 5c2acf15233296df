import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPageLinkMac, mintPageLink, type PageLinkMac } from '../../../shared/signing/page-link.js';
import { startApiStack, type ApiStack } from './harness.js';

// Issue 19 item 11: the signed, expiring, read-only link in a ticket note, over the local API
// server that routes GET /links/changes/{id} exactly as the CDK API does (no IAM on that route,
// the MAC and expiry checked in its handler). Links are minted as the note writer mints them.

let stack: ApiStack;
let dir: string;
let mac: PageLinkMac;
const changeA = 'api-link-a';
const changeB = 'api-link-b';
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changeflow-page-link-'));
  const key = randomBytes(32);
  const keyFile = join(dir, 'page-link.key');
  await writeFile(keyFile, key.toString('base64'));
  mac = localPageLinkMac(key);
  stack = await startApiStack({ CHANGEFLOW_PAGE_LINK_KEY_FILE: keyFile });
  for (const [changeId, number] of [[changeA, 'CHG0050001'], [changeB, 'CHG0050002']] as const) {
    await stack.store.changes.create({
      changeId,
      ticket: { system: 'servicenow', key: `cccccccccccccccccccccccccccccc${number.slice(-2)}`, number },
      source: 'servicenow',
      targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
      requestedBy: 'alice',
      mode: 'plan-only',
    });
    await stack.store.audit.appendEvent({ changeId, type: 'change.received', status: 'RECEIVED', actor: 'intake', detail: { ticket: number } });
  }
});
afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const link = (changeId: string, expiresAt = inAWeek()) => mintPageLink({ baseUrl: stack.url, changeId, expiresAt, mac });
const open = (url: string, init: RequestInit = {}) => fetch(url, { ...init, headers: { accept: 'text/html', ...(init.headers as Record<string, string> | undefined) } });

describe('GET /links/changes/{id} (a ticket note\'s page link)', () => {
  it('opens the page of the change it was minted for, as HTML, without credentials, and says until when', async () => {
    const url = await link(changeA);
    expect(url).toMatch(new RegExp(`^${stack.url}/links/changes/${changeA}\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));
    // A script asking for JSON still gets only the page: the link grants nothing else.
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain(`<title>${changeA} · RECEIVED · changeflow</title>`);
    expect(html).toContain('CHG0050001');
    expect(html).not.toContain('CHG0050002');
    expect(html).toMatch(/Read-only view through the signed link in the ticket; the link opens this page until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  });

  it('refuses an expired link with 410 and a page that says what to do', async () => {
    const res = await open(await link(changeA, new Date(Date.now() - 1000)));
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('This link has expired');
    expect(html).toContain(`changeflow audit show ${changeA}`);
    expect(html).not.toContain('change.received');
  });

  it('refuses a tampered link with 403: signature edited, expiry pushed out, parts missing', async () => {
    const url = new URL(await link(changeA));
    const signature = url.searchParams.get('signature') ?? '';
    const flipped = new URL(url);
    flipped.searchParams.set('signature', `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`);
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400 * 365));
    const bare = new URL(url);
    bare.search = '';
    for (const tampered of [flipped, later, bare]) {
      const res = await open(tampered.toString());
      expect(res.status, tampered.search).toBe(403);
      const html = await res.text();
      expect(html).toContain('This link does not open a change');
      expect(html).not.toContain('change.received');
    }
  });

  it('does not open change B with the expiry and signature minted for change A', async () => {
    const url = new URL(await link(changeA));
    url.pathname = `/links/changes/${changeB}`;
    const res = await open(url.toString());
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('CHG0050002');
    // B's own link opens B.
    expect((await open(await link(changeB))).status).toBe(200);
  });

  it('grants read only: no other method on the link route, and the change does not move', async () => {
    const url = await link(changeA);
    for (const method of ['POST', 'DELETE', 'PUT']) {
      const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: method === 'DELETE' ? undefined : '{}' });
      expect(res.status, method).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NotFound', message: expect.stringContaining('takes GET') } });
    }
    // Every other route stays behind IAM on AWS (test/unit/cdk/stack-template.test.ts checks the authorizers).
    const { events } = await stack.store.audit.listEvents(changeA);
    expect(events.map((e) => e.type)).toEqual(['change.received']);
    expect((await stack.store.changes.require(changeA)).status).toBe('RECEIVED');
  });

  it('says 404 for a validly signed link to a change this stack does not have', async () => {
    const res = await open(await link('api-link-gone'));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('No change api-link-gone');
  });
});
