import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApicClient, type ApicClient } from '../../../agent/apic/client.js';
import { ApicAuthFailed, ApicError } from '../../../agent/apic/errors.js';
import { signatureCookie } from '../../../agent/apic/signature.js';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { userCertificateDn } from '../../../shared/aci/index.js';
import { makeUserCertificate, type UserCertificate } from '../../../local/lab/apic/user-certificate.js';

// Signature (certificate) auth against the lab APIC (issue 14 part 3: a change without a login).
// An admin installs the agent user's certificate over the API as aci_aaa_user_certificate does;
// from then on every request of the signed client verifies with it and none logs in. What an
// APIC refuses, the lab refuses: another key, a signature over another request, an unknown
// certificate DN, certificate data that is no certificate.

const tn = 'uni/tn-k8s-prod-a';
const certDn = (lab: ApicLab, name: string) => userCertificateDn(lab.username, name);
let lab: ApicLab;
let admin: ApicClient;
let cert: UserCertificate;

beforeAll(async () => {
  lab = await startApicLab({ backupDelayMs: 0 });
  admin = createApicClient({ url: lab.url, username: lab.username, password: lab.password });
  cert = await makeUserCertificate(lab.username);
  await admin.post(certDn(lab, 'changeflow'), { aaaUserCert: { attributes: { name: 'changeflow', data: cert.certificatePem } } });
});
afterAll(async () => {
  await lab.close();
});

const signed = (privateKeyPem: string, name = 'changeflow'): ApicClient =>
  createApicClient({ url: lab.url, username: lab.username, signature: { privateKeyPem, certificateDn: certDn(lab, name) }, retry: { maxAttempts: 1 } });

describe('APIC signature auth', () => {
  it('reads and writes with every request signed and no aaaLogin', async () => {
    lab.stats.reset();
    const client = signed(cert.privateKeyPem);
    expect((await client.mo(tn)).map((mo) => Object.keys(mo)[0])).toEqual(['fvTenant']);
    await client.post(tn, { fvTenant: { attributes: { dn: tn }, children: [{ fvAp: { attributes: { name: 'signed', annotation: 'orchestrator:changeflow' } } }] } });
    expect(lab.mit.get(`${tn}/ap-signed`)?.attrs.annotation).toBe('orchestrator:changeflow');
    const aps = await client.getAll(`/api/mo/${tn}.json`, { 'query-target': 'children', 'target-subtree-class': 'fvAp' });
    expect(aps.map((mo) => mo['fvAp']?.attributes.name)).toContain('signed');
    expect(lab.stats.log.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/mo/${tn}.json`, `POST /api/mo/${tn}.json`, `GET /api/mo/${tn}.json`]);
    expect(client.stats()).toMatchObject({ requests: 3, logins: 0 });
    await expect(client.login()).rejects.toThrow(ApicAuthFailed);
  });

  it('signs the request target as it goes on the wire: a filter with quotes (\' is sent as %27) verifies', async () => {
    const client = signed(cert.privateKeyPem);
    const selectors = await client.getAll('/api/class/fvEPSelector.json', { 'query-target-filter': `eq(fvEPSelector.matchExpression,"ip=='192.168.3.200/32'")` });
    expect(selectors).toEqual([]);
  });

  it('refuses a request signed with another key (403), and the client does not log in instead', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const err = await signed(other).mo(tn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApicError);
    expect((err as ApicError).status).toBe(403);
    expect((err as ApicError).text).toContain('bad signature');
  });

  it('refuses a signature made over another request: it covers method, path, query and body', async () => {
    const send = (signedAs: { method: string; path: string; body: string }, sent: { method: string; path: string; body?: string }) =>
      fetch(`${lab.url}${sent.path}`, {
        method: sent.method, body: sent.body,
        headers: { cookie: signatureCookie({ privateKeyPem: cert.privateKeyPem, certificateDn: certDn(lab, 'changeflow') }, signedAs.method, signedAs.path, signedAs.body) },
      });
    const path = `/api/mo/${tn}.json?query-target=children`;
    expect((await send({ method: 'GET', path, body: '' }, { method: 'GET', path })).status).toBe(200);
    expect((await send({ method: 'GET', path, body: '' }, { method: 'GET', path: `/api/mo/${tn}.json?query-target=subtree` })).status).toBe(403);
    const body = JSON.stringify({ fvAp: { attributes: { name: 'x' } } });
    expect((await send({ method: 'POST', path: `/api/mo/${tn}.json`, body }, { method: 'POST', path: `/api/mo/${tn}.json`, body: body.replace('"x"', '"y"') })).status).toBe(403);
    expect(lab.mit.get(`${tn}/ap-y`)).toBeUndefined();
    expect((await send({ method: 'GET', path, body: '' }, { method: 'DELETE', path })).status).toBe(403);
  });

  it('refuses a certificate whose key is not RSA (v1.0 is RSA-SHA256), even with a valid ECDSA signature', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'changeflow-apic-ec-cert-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=ec'], { stdio: 'ignore' });
    await admin.post(certDn(lab, 'ec'), { aaaUserCert: { attributes: { name: 'ec', data: readFileSync(join(dir, 'cert.pem'), 'utf8') } } });
    const err = await signed(readFileSync(join(dir, 'key.pem'), 'utf8'), 'ec').mo(tn).catch((e: unknown) => e);
    expect((err as ApicError).status).toBe(403);
    expect((err as ApicError).text).toContain('holds a ec key');
  });

  it('refuses an unknown certificate DN', async () => {
    const err = await signed(cert.privateKeyPem, 'nobody').mo(tn).catch((e: unknown) => e);
    expect((err as ApicError).status).toBe(403);
    expect((err as ApicError).text).toContain(`no user certificate at APIC-Certificate-DN ${certDn(lab, 'nobody')}`);
  });

  it('refuses certificate data that is no X.509 certificate (120), and stores none', async () => {
    const err = await admin.post(certDn(lab, 'junk'), { aaaUserCert: { attributes: { name: 'junk', data: '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----' } } }).catch((e: unknown) => e);
    expect((err as ApicError).code).toBe('120');
    expect(lab.mit.get(certDn(lab, 'junk'))).toBeUndefined();
  });
});
