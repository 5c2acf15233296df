import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHubDelivery } from '../../../shared/intake/signature.js';
import { jiraWebhook, serviceNowTicket, serviceNowTime, signedHeaders, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// ≥ 1000 hostile deliveries: bytes flipped after signing, truncations, missing/garbled/huge
// headers, other media types, non-JSON, deep nesting, wrong types — and, so the parsers are
// reached too, mutated bodies signed correctly over bases that can never start a change (an
// unapproved ticket, an approved one whose window has ended, a Jira update to another status).
// Every reply must be a 4xx or a 202 "ignored", no execution may start, and the server stays up.

const seed = 0x5eed_0009;
const total = 1000;
const concurrency = 16;

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.close();
});

function mulberry32(start: number): () => number {
  let a = start;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(seed);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const hostileValues: unknown[] = [
  null, true, 0, -1, 1e308, '', ' ', 'x'.repeat(5000), [], {}, [1, 'a', null], { $ne: 1 }, '{{7*7}}', '<script>alert(1)</script>',
  '\u0000\u0001', '☃', '../../etc/passwd', 'CHG0030012', '-1', 'approved', JSON.parse('[[[[[[[[[[[]]]]]]]]]]]') as unknown,
];

interface Case {
  label: string;
  path: string;
  body: Buffer | string;
  headers: Record<string, string>;
}

const approvedBody = () => JSON.stringify(serviceNowTicket({ sys_mod_count: String(100 + int(900)) }));
const past = (hours: number) => serviceNowTime(new Date(Date.now() - hours * 3600_000));
const neverStarts = {
  unapproved: () => serviceNowTicket({ approval: pick(['requested', 'rejected', 'not requested']), sys_mod_count: String(int(1000)) }),
  windowEnded: () => serviceNowTicket({ start_date: past(6), end_date: past(2), sys_mod_count: String(int(1000)) }),
};

function flipBytes(body: string, flips: number): Buffer {
  const bytes = Buffer.from(body);
  for (let i = 0; i < flips; i++) {
    const at = int(bytes.length);
    bytes[at] = (bytes[at] ?? 0) ^ (1 + int(255));
  }
  return bytes;
}

/** Replaces or deletes one field (top level or inside the issue / the changelog). */
function mutateField(doc: Record<string, unknown>, protect: readonly string[]): Record<string, unknown> {
  const keys = Object.keys(doc).filter((k) => !protect.includes(k));
  const key = pick(keys);
  const copy: Record<string, unknown> = { ...doc };
  if (random() < 0.3) delete copy[key];
  else copy[key] = pick(hostileValues);
  return copy;
}

function mutateSpecText(doc: Record<string, unknown>): Record<string, unknown> {
  const text = String(doc['u_change_spec']);
  const mutated = random() < 0.5 ? flipBytes(text, 1 + int(3)).toString('utf8') : text.slice(0, int(text.length));
  return { ...doc, u_change_spec: mutated };
}

const generators: Array<() => Case> = [
  // Mutations after signing: the signature no longer covers the bytes.
  () => {
    const body = approvedBody();
    return { label: 'flip after signing', path: '/webhooks/servicenow', headers: signedHeaders(body), body: flipBytes(body, 1 + int(4)) };
  },
  () => {
    const body = approvedBody();
    return { label: 'truncate after signing', path: '/webhooks/servicenow', headers: signedHeaders(body), body: body.slice(0, int(body.length)) };
  },
  // Headers missing, garbled, stale, huge, repeated, or the wrong media type.
  () => {
    const body = approvedBody();
    const headers = signedHeaders(body);
    const variant = int(9);
    if (variant === 0) delete headers['X-Changeflow-Signature'];
    if (variant === 1) delete headers['X-Changeflow-Timestamp'];
    if (variant === 2) headers['X-Changeflow-Signature'] = pick(['sha1=abc', 'sha256=', `sha256=${'z'.repeat(64)}`, 'x'.repeat(8000), `sha256=${'a'.repeat(63)}`]);
    if (variant === 3) headers['X-Changeflow-Timestamp'] = pick(['', 'yesterday', '-1', '1e9', '9'.repeat(13), String(Math.floor(Date.now() / 1000) + 3600)]);
    if (variant === 4) headers['content-type'] = pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonx', '']);
    if (variant === 5) headers['X-Changeflow-Signature'] = `${headers['X-Changeflow-Signature']}, ${headers['X-Changeflow-Signature']}`;
    if (variant === 6) headers['X-Changeflow-Timestamp'] = String(Number(headers['X-Changeflow-Timestamp']) - 301 - int(10_000));
    if (variant === 7) headers['X-Hub-Signature'] = `sha256=${'0'.repeat(64)}`;
    if (variant === 8) headers['X-Changeflow-Signature'] = signedHeaders(`${body} `)['X-Changeflow-Signature']!;
    if (variant === 7) delete headers['X-Changeflow-Signature'];
    return { label: `headers ${variant}`, path: '/webhooks/servicenow', headers, body };
  },
  // Oversized headers: node refuses them itself (431) before any handler runs.
  () => {
    const body = approvedBody();
    return { label: 'huge header', path: '/webhooks/servicenow', headers: { ...signedHeaders(body), 'x-padding': 'p'.repeat(20_000 + int(20_000)) }, body };
  },
  // Signed, but not JSON, too deep, too large, or not UTF-8.
  () => {
    const body = pick([
      '', 'null', '[]', '"text"', '{', '{"sys_id":', 'not json at all', '['.repeat(5000), '{"a":'.repeat(200) + '1' + '}'.repeat(200),
      'x'.repeat(300 * 1024), JSON.stringify({ a: 'y'.repeat(260 * 1024) }),
    ]);
    return { label: 'signed junk', path: pick(['/webhooks/servicenow', '/webhooks/jira']), headers: signedHeaders(body), body };
  },
  () => {
    const body = Buffer.concat([Buffer.from('{"sys_id":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
    return { label: 'signed invalid utf-8', path: '/webhooks/servicenow', headers: signedHeaders(body), body };
  },
  // Signed correctly over mutated tickets that can never start: the parsers see them.
  () => {
    const body = JSON.stringify(mutateField(neverStarts.unapproved(), ['approval']));
    return { label: 'signed field mutation (unapproved)', path: '/webhooks/servicenow', headers: signedHeaders(body), body };
  },
  () => {
    const body = flipBytes(JSON.stringify(neverStarts.unapproved()), 1 + int(3));
    return { label: 'signed byte flips (unapproved)', path: '/webhooks/servicenow', headers: signedHeaders(body), body };
  },
  () => {
    const base = neverStarts.windowEnded();
    const doc = random() < 0.5 ? mutateSpecText(base) : mutateField(base, ['start_date', 'end_date']);
    const body = JSON.stringify(doc);
    return { label: 'signed mutation (window ended)', path: '/webhooks/servicenow', headers: signedHeaders(body), body };
  },
  () => {
    const hook = jiraWebhook() as { changelog: { items: Array<Record<string, unknown>> }; issue: Record<string, unknown> };
    hook.changelog.items[0]!['toString'] = 'In review';
    const mutated = random() < 0.5 ? mutateField(hook as unknown as Record<string, unknown>, ['changelog']) : { ...hook, issue: mutateField(hook.issue, []) };
    const body = JSON.stringify(mutated);
    const headers = random() < 0.5 ? signedHeaders(body) : { 'content-type': 'application/json', ...signHubDelivery(webhookSecret, body) };
    return { label: 'signed jira mutation (not approved)', path: '/webhooks/jira', headers, body };
  },
  // Routes that do not exist, and manual starts that are not ChangeRequests.
  () => {
    const body = approvedBody();
    return { label: 'wrong path', path: pick(['/webhooks/servicenow/', '/webhooks/SERVICENOW', '/webhooks/', '/webhooks/github', '/webhooks/servicenow%00']), headers: signedHeaders(body), body };
  },
  () => {
    const body = pick(['{', '[]', 'null', JSON.stringify({ source: 42 }), JSON.stringify({ source: 'cli', requestedBy: 'x', spec: pick(hostileValues) })]);
    return { label: 'manual junk', path: '/changes', headers: { 'content-type': pick(['application/json', 'text/plain']) }, body };
  },
];

// node:http with keep-alive costs half of what fetch does per request on a busy runner.
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
afterAll(() => agent.destroy());

function send(c: Case): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${stack.url}${c.path}`, { method: 'POST', headers: c.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

async function deliveriesLogged(days: readonly string[]): Promise<number> {
  let count = 0;
  for (const day of new Set(days)) count += (await stack.store.deliveries.listDeliveryOutcomesOfDay(day)).length;
  return count;
}

describe(`webhook fuzz (${total} cases, seed ${seed.toString(16)})`, () => {
  it('answers every mutated delivery with a 4xx or "ignored", starts nothing, records only signed ones and stays healthy', async () => {
    const firstDay = new Date().toISOString().slice(0, 10);
    const executionsBefore = await stack.executionNames();
    const loggedBefore = await deliveriesLogged([firstDay]);
    const cases = Array.from({ length: total }, () => pick(generators)());
    const results: Array<{ c: Case; status: number; body: Record<string, unknown> }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < cases.length) {
          const c = cases[next++]!;
          results.push({ c, ...(await send(c)) });
        }
      }),
    );

    const unexpected = results.filter((r) => !((r.status >= 400 && r.status < 500) || (r.status === 202 && r.body['status'] === 'ignored')));
    expect(unexpected.map((r) => `${r.c.label}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)).toEqual([]);
    expect(await stack.executionNames()).toEqual(executionsBefore);

    // Only signed deliveries cost a delivery-log item: each refusal of one (400), and a sample of
    // the ignored ones. Unauthenticated refusals (401/413/415) are a metric and a log line.
    const onWebhooks = results.filter((r) => r.c.path.startsWith('/webhooks/'));
    const signedRefusals = onWebhooks.filter((r) => r.status === 400).length;
    const ignored = onWebhooks.filter((r) => r.status === 202).length;
    const lastDay = new Date().toISOString().slice(0, 10);
    const logged = (await deliveriesLogged([firstDay, lastDay])) - loggedBefore;
    expect(logged).toBeGreaterThanOrEqual(signedRefusals);
    expect(logged).toBeLessThan(signedRefusals + ignored / 10 + 5);

    // Each family of mutation got its expected kind of answer at least once.
    const statuses = new Set(results.map((r) => r.status));
    for (const status of [400, 401, 404, 413, 415, 431, 202]) expect(statuses).toContain(status);
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
