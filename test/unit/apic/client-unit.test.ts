import { generateKeyPairSync, createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApicRetry } from '../../../agent/apic/backoff.js';
import { backoffDelay } from '../../../shared/runtime/retry.js';
import { createApicClient } from '../../../agent/apic/client.js';
import { readEnvelope } from '../../../agent/apic/envelope.js';
import { ApicError } from '../../../agent/apic/errors.js';
import { signatureCookie } from '../../../agent/apic/signature.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const loginBody = (token: string, ttl = '600') => ({ totalCount: '1', imdata: [{ aaaLogin: { attributes: { token, refreshTimeoutSeconds: ttl, version: '6.1(2f)' } } }] });
const empty = { totalCount: '0', imdata: [] };

describe('reading APIC answers', () => {
  it.each([
    [200, 'application/json', '{"totalCount":"0","imdata":[]}', 'ok'],
    [200, 'application/json', '{"totalCount":"1","imdata":[{"error":{"attributes":{"code":"1","text":"Invalid Configuration"}}}]}', 'error'],
    [400, 'application/json', '{"totalCount":"1","imdata":[{"error":{"attributes":{"code":"103","text":"exists"}}}]}', 'error'],
    [503, 'text/html', '<html><head><title>503 Service Temporarily Unavailable</title></head></html>', 'garbled'],
    [200, 'text/plain', '<html>proxy</html>', 'garbled'],
    [200, 'application/json', '{"status":"ok"}', 'garbled'],
  ])('HTTP %i %s %s → %s', (status, type, body, kind) => {
    expect(readEnvelope(status, type, body).kind).toBe(kind);
  });
});

describe('backoff', () => {
  it('grows by the factor, caps at the maximum and jitters within the bound', () => {
    const p = ApicRetry.parse({ baseDelayMs: 100, factor: 3, maxDelayMs: 1000, jitter: 0 });
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n))).toEqual([100, 300, 900, 1000]);
    const j = ApicRetry.parse({ baseDelayMs: 100, jitter: 0.2 });
    expect(backoffDelay(j, 1, () => 0)).toBe(80);
    expect(backoffDelay(j, 1, () => 1)).toBe(120);
  });
});

describe('client without a server', () => {
  it('treats an error envelope on HTTP 200 as a failure (NaC #258)', async () => {
    const fetchStub = async (url: string | URL | Request): Promise<Response> =>
      String(url).includes('aaaLogin')
        ? json(200, loginBody('t1'))
        : json(200, { totalCount: '1', imdata: [{ error: { attributes: { code: '1', text: 'Invalid Configuration - VRF Validation failed' } } }] });
    const client = createApicClient({ url: 'http://apic.test', username: 'admin', password: 'x', fetch: fetchStub as typeof fetch });
    await expect(client.post('uni/tn-a', { fvTenant: { attributes: { name: 'a' } } })).rejects.toMatchObject({ name: 'ApicError', status: 200, code: '1' });
  });

  it('refreshes the token once 60 % of refreshTimeoutSeconds has passed, and not before', async () => {
    let clock = 0;
    const paths: string[] = [];
    const fetchStub = async (url: string | URL | Request): Promise<Response> => {
      const path = new URL(String(url)).pathname;
      paths.push(path);
      if (path === '/api/aaaLogin.json') return json(200, loginBody('t1', '100'));
      if (path === '/api/aaaRefresh.json') return json(200, loginBody('t2', '100'));
      return json(200, empty);
    };
    const client = createApicClient({ url: 'http://apic.test', username: 'admin', password: 'x', fetch: fetchStub as typeof fetch, now: () => clock });
    await client.mo('uni');
    clock = 59_000;
    await client.mo('uni');
    clock = 61_000;
    await client.mo('uni');
    expect(paths).toEqual(['/api/aaaLogin.json', '/api/mo/uni.json', '/api/mo/uni.json', '/api/aaaRefresh.json', '/api/mo/uni.json']);
    expect(client.stats()).toMatchObject({ logins: 1, refreshes: 1 });
  });

  it('shares one login between concurrent callers', async () => {
    let logins = 0;
    let answerLogin = (): void => undefined;
    const loginAnswered = new Promise<void>((resolve) => (answerLogin = resolve));
    const fetchStub = async (url: string | URL | Request): Promise<Response> => {
      if (String(url).includes('aaaLogin')) {
        logins++;
        // The login stays in flight until every caller has asked for a token.
        await loginAnswered;
        return json(200, loginBody('t1'));
      }
      return json(200, empty);
    };
    const client = createApicClient({ url: 'http://apic.test', username: 'admin', password: 'x', fetch: fetchStub as typeof fetch });
    const calls = Promise.all(Array.from({ length: 10 }, () => client.mo('uni')));
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
    answerLogin();
    await calls;
    expect(logins).toBe(1);
  });

  it('does not retry a 400: the request itself is wrong', async () => {
    let posts = 0;
    const fetchStub = async (url: string | URL | Request): Promise<Response> => {
      if (String(url).includes('aaaLogin')) return json(200, loginBody('t1'));
      posts++;
      return json(400, { totalCount: '1', imdata: [{ error: { attributes: { code: '122', text: 'unknown managed object class fvFoobar' } } }] });
    };
    const client = createApicClient({ url: 'http://apic.test', username: 'admin', retry: { baseDelayMs: 1 }, fetch: fetchStub as typeof fetch });
    const err = await client.post('uni', { fvFoobar: { attributes: {} } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApicError);
    expect(posts).toBe(1);
  });
});

describe('certificate signature', () => {
  it('signs METHOD + path + body with the user key, in the cookies cisco.aci sends', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cookie = signatureCookie(
      { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificateDn: 'uni/userext/user-bot/usercert-bot' },
      'post', '/api/mo/uni/tn-a.json', '{"fvTenant":{"attributes":{}}}',
    );
    expect(cookie).toMatch(/^APIC-Certificate-Algorithm=v1.0; APIC-Certificate-DN=uni\/userext\/user-bot\/usercert-bot; APIC-Certificate-Fingerprint=fingerprint; APIC-Request-Signature=/);
    const sig = cookie.split('APIC-Request-Signature=')[1] ?? '';
    const verify = createVerify('RSA-SHA256').update('POST/api/mo/uni/tn-a.json{"fvTenant":{"attributes":{}}}');
    expect(verify.verify(publicKey, sig, 'base64')).toBe(true);
  });
});
