import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signDelivery, signHubDelivery, verifyDeliverySignature } from '../../../shared/intake/signature.js';

const secret = 's3cret-for-tests';
const body = '{"sys_id":"abc"}';
const now = new Date('2026-11-22T09:00:00Z');
const nowSeconds = now.getTime() / 1000;

function check(headers: Record<string, string>, opts: { acceptHubSignature?: boolean; rawBody?: string } = {}) {
  return verifyDeliverySignature({ headers, rawBody: opts.rawBody ?? body, secret, now, acceptHubSignature: opts.acceptHubSignature ?? false });
}

describe('delivery signatures', () => {
  it('signs timestamp + "." + raw body with HMAC-SHA256 as docs/architecture.md §3.2 says', () => {
    const headers = signDelivery(secret, body, now);
    const expected = createHmac('sha256', secret).update(`${nowSeconds}.${body}`).digest('hex');
    expect(headers).toEqual({ 'X-Changeflow-Timestamp': String(nowSeconds), 'X-Changeflow-Signature': `sha256=${expected}` });
  });

  it('accepts its own signature', () => {
    expect(check(signDelivery(secret, body, now))).toEqual({ ok: true, scheme: 'changeflow' });
  });

  it('reads header names case-insensitively', () => {
    const h = signDelivery(secret, body, now);
    const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
    const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    expect(check(upper).ok).toBe(true);
    expect(check(lower).ok).toBe(true);
  });

  it('accepts a signature given in upper-case hex', () => {
    const h = signDelivery(secret, body, now);
    h['X-Changeflow-Signature'] = `sha256=${h['X-Changeflow-Signature']!.slice(7).toUpperCase()}`;
    expect(check(h).ok).toBe(true);
  });

  it.each([
    ['a different secret', () => signDelivery('other-secret', body, now), body],
    ['a changed body', () => signDelivery(secret, body, now), body.replace('abc', 'abd')],
    ['a body with added whitespace', () => signDelivery(secret, body, now), `${body} `],
  ])('refuses %s as a mismatch', (_label, headers, rawBody) => {
    expect(check(headers(), { rawBody })).toMatchObject({ ok: false, code: 'SignatureMismatch' });
  });

  it.each([
    [300, true],
    [-300, true],
    [301, false],
    [-301, false],
    [3600, false],
  ])('with the timestamp %i s away from now accepts=%s (±300 s window)', (skew, ok) => {
    const headers = signDelivery(secret, body, new Date(now.getTime() - skew * 1000));
    const result = check(headers);
    if (ok) expect(result.ok).toBe(true);
    else expect(result).toMatchObject({ ok: false, code: 'TimestampOutOfWindow' });
  });

  it('says how old a stale timestamp is', () => {
    const result = check(signDelivery(secret, body, new Date(now.getTime() - 900_000)));
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/900 s old/) });
  });

  it.each([
    ['no headers at all', {}, 'SignatureMissing'],
    ['a signature without timestamp', { 'X-Changeflow-Signature': `sha256=${'0'.repeat(64)}` }, 'SignatureMissing'],
    ['a timestamp in milliseconds', { 'X-Changeflow-Timestamp': String(now.getTime() * 1000), 'X-Changeflow-Signature': `sha256=${'0'.repeat(64)}` }, 'SignatureMalformed'],
    ['a timestamp that is not a number', { 'X-Changeflow-Timestamp': 'yesterday', 'X-Changeflow-Signature': `sha256=${'0'.repeat(64)}` }, 'SignatureMalformed'],
    ['a sha1 signature', { 'X-Changeflow-Timestamp': String(nowSeconds), 'X-Changeflow-Signature': `sha1=${'0'.repeat(40)}` }, 'SignatureMalformed'],
    ['a short digest', { 'X-Changeflow-Timestamp': String(nowSeconds), 'X-Changeflow-Signature': 'sha256=abcd' }, 'SignatureMalformed'],
  ])('refuses %s', (_label, headers, code) => {
    expect(check(headers)).toMatchObject({ ok: false, code });
  });

  it("accepts Jira's native X-Hub-Signature only where Jira is expected", () => {
    const hub = signHubDelivery(secret, body);
    expect(hub['X-Hub-Signature']).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    expect(check({ 'x-hub-signature': hub['X-Hub-Signature']! }, { acceptHubSignature: true })).toEqual({ ok: true, scheme: 'hub' });
    expect(check(hub, { acceptHubSignature: false })).toMatchObject({ ok: false, code: 'SignatureMissing' });
    expect(check(hub, { acceptHubSignature: true, rawBody: `${body}x` })).toMatchObject({ ok: false, code: 'SignatureMismatch' });
  });

  it('uses the changeflow signature when both are present, so a stale one cannot hide behind a hub signature', () => {
    const headers = { ...signHubDelivery(secret, body), ...signDelivery(secret, body, new Date(now.getTime() - 3_600_000)) };
    expect(check(headers, { acceptHubSignature: true })).toMatchObject({ ok: false, code: 'TimestampOutOfWindow' });
  });

  it('signs bytes and strings alike', () => {
    const bytes = new TextEncoder().encode('{"name":"café"}');
    const headers = signDelivery(secret, bytes, now);
    expect(check(headers, { rawBody: '{"name":"café"}' }).ok).toBe(true);
  });
});
