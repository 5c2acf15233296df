import { describe, expect, it } from 'vitest';
import { createAgentLog } from '../../../agent/log.js';
import { isSecretKey, Redactor, redactFields } from '../../../shared/runtime/redact.js';

// Secrets never leave the agent: every result, failure cause and log line passes through here.

describe('Redactor', () => {
  const redactor = new Redactor();
  redactor.add('pa"ss\\word-1');
  redactor.add('kube-token-abcdef');
  redactor.add('abc'); // too short to mask safely: ordinary words would vanish

  it.each([
    ['a known secret in plain text', 'login as admin with pa"ss\\word-1 failed', 'login as admin with *** failed'],
    ['a known secret as it appears escaped inside JSON text', JSON.stringify({ note: 'pa"ss\\word-1' }), '{"note":"***"}'],
    ['an APIC login body the config did not name', '{"aaaUser":{"attributes":{"name":"admin","pwd":"other-secret"}}}', '{"aaaUser":{"attributes":{"name":"admin","pwd":"***"}}}'],
    ['an APIC session cookie', 'Cookie: APIC-cookie=eyJhbGciOi.xyz; path=/', 'Cookie: APIC-cookie=***; path=/'],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig', 'Authorization: Bearer ***'],
    ['basic credentials', 'Authorization: Basic YWRtaW46cGFzcw==', 'Authorization: Basic ***'],
  ])('masks %s', (_what, input, expected) => {
    expect(redactor.text(input)).toBe(expected);
  });

  it('leaves short registered values alone', () => {
    expect(redactor.text('abc def')).toBe('abc def');
  });

  it('redacts a value and gives back the same shape', () => {
    const value = { results: [{ name: 'kube-token-abcdef', n: 3, nested: { token: 'x-y-z' } }] };
    expect(redactor.value(value)).toEqual({ results: [{ name: '***', n: 3, nested: { token: '***' } }] });
  });
});

describe('createAgentLog', () => {
  it('writes one redacted JSON line per event at or above its level; fields cannot overwrite the fixed keys', () => {
    const redactor = new Redactor();
    redactor.add('kube-token-abcdef');
    const lines: string[] = [];
    const log = createAgentLog({ redactor, level: 'info', agent: 'bastion-dc1', write: (l) => lines.push(l), now: () => new Date('2026-11-23T05:00:00.000Z') });
    log.log('debug', 'not written');
    log.log('warn', 'request failed', { header: 'Bearer kube-token-abcdef', at: 'somewhere else', level: 'debug' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ at: '2026-11-23T05:00:00.000Z', level: 'warn', agent: 'bastion-dc1', message: 'request failed', header: 'Bearer ***' });
  });
});

describe('redactFields (structured log fields)', () => {
  it('hides values under secret-looking keys at any depth and keeps the rest', () => {
    expect(
      redactFields({ changeId: 'c1', headers: { 'X-Changeflow-Signature': 'sha256=ab', Authorization: 'Bearer x' }, apic: { password: 'p', url: 'u' }, list: [{ token: 't' }] }),
    ).toEqual({
      changeId: 'c1',
      headers: { 'X-Changeflow-Signature': '[redacted]', Authorization: '[redacted]' },
      apic: { password: '[redacted]', url: 'u' },
      list: [{ token: '[redacted]' }],
    });
  });
});

describe('isSecretKey', () => {
  it.each([
    ['X-Changeflow-Signature', true], ['Authorization', true], ['apiKey', true], ['api_key', true], ['clientSecret', true],
    ['passwd', true], ['Cookie', true], ['awsCredentials', true], ['changeId', false], ['url', false], ['ticket', false],
  ])('%s → %s', (key, secret) => {
    expect(isSecretKey(key)).toBe(secret);
  });
});
