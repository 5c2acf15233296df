import { SignatureV4 } from '@smithy/signature-v4';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRegionUnknown, createApiFetch, NodeSha256, regionOfApi } from '../../../cli/api-signing.js';
import { selfSignedCertificate, startSigV4Endpoint, type SigV4Endpoint } from '../../support/sigv4-endpoint.js';

// Issue 18: against the deployed, IAM-protected API every CLI request is signed with SigV4. A
// local endpoint plays API Gateway's IAM authorizer: it recomputes the signature with the same
// library and the credentials it knows, and refuses what does not match.

const region = 'eu-west-1';
const keys = { accessKeyId: 'AKIDCHANGEFLOWTEST', secretAccessKey: 'changeflow-test-secret-key', sessionToken: 'changeflow-test-session' };
const opsKeys = { accessKeyId: 'AKIDOPSPROFILE', secretAccessKey: 'ops-profile-secret' };

let dir: string;
let endpoint: SigV4Endpoint;
let tlsEndpoint: SigV4Endpoint;
let certFile: string;

const answer = (req: { method: string; url: string }) =>
  req.url === '/freezes' ? { status: 200, body: { freezes: [] } } : req.url.startsWith('/changes/') && req.method === 'GET' ? { status: 404, body: { error: { code: 'NotFound', message: 'no such change' } } } : { status: 202, body: { ok: true } };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changeflow-sigv4-'));
  const tls = selfSignedCertificate(dir);
  certFile = tls.certFile;
  endpoint = await startSigV4Endpoint({ region, credentials: keys, answer });
  tlsEndpoint = await startSigV4Endpoint({ region, credentials: opsKeys, tls, answer });
});

afterAll(async () => {
  await endpoint?.close();
  await tlsEndpoint?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('SigV4 signing of API requests', () => {
  it("signs AWS's published test vector (get-vanilla) with the node:crypto SHA-256", async () => {
    const signer = new SignatureV4({ service: 'service', region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, sha256: NodeSha256, applyChecksum: false });
    const signed = await signer.sign({ method: 'GET', protocol: 'https:', hostname: 'example.amazonaws.com', path: '/', headers: { host: 'example.amazonaws.com' } }, { signingDate: new Date('2015-08-30T12:36:00Z') });
    expect(signed.headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs a POST with a body and a query so that the endpoint, recomputing it, accepts it', async () => {
    const apiFetch = createApiFetch({ region, credentials: async () => keys, sign: () => true, env: {} });
    const res = await apiFetch(`${endpoint.url}/changes/cli-42/approve?dry=1&by=jane`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ planHash: 'abc', by: 'jane' }) });
    expect(res.status).toBe(202);
    const seen = endpoint.seen.at(-1);
    expect(seen).toMatchObject({ method: 'POST', valid: true });
    expect(seen?.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${keys.accessKeyId}/\\d{8}/${region}/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, `));
  });

  it('is refused when the body is changed after signing (the endpoint really checks)', async () => {
    const tamper: typeof fetch = (url, init) => fetch(url, { ...init, body: JSON.stringify({ planHash: 'other', by: 'mallory' }) });
    const apiFetch = createApiFetch({ region, credentials: async () => keys, sign: () => true, env: {}, fetch: tamper });
    const res = await apiFetch(`${endpoint.url}/changes/cli-42/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ planHash: 'abc', by: 'jane' }) });
    expect(res.status).toBe(403);
    expect(endpoint.seen.at(-1)).toMatchObject({ valid: false, reason: 'x-amz-content-sha256 is not the hash of the body received' });
  });

  it('is refused when signed with other keys', async () => {
    const apiFetch = createApiFetch({ region, credentials: async () => ({ ...keys, secretAccessKey: 'not-the-secret' }), sign: () => true, env: {} });
    expect((await apiFetch(`${endpoint.url}/freezes`)).status).toBe(403);
    expect(endpoint.seen.at(-1)).toMatchObject({ valid: false, reason: 'signature mismatch' });
  });

  it('sends requests to the local stack (plain http) unsigned', async () => {
    const apiFetch = createApiFetch({ region, credentials: async () => keys, env: {} });
    expect((await apiFetch(`${endpoint.url}/freezes`)).status).toBe(403);
    expect(endpoint.seen.at(-1)).toMatchObject({ url: '/freezes', authorization: undefined, valid: undefined });
  });

  it.each([
    ['https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/changes', 'cn-north-1'],
    ['https://changes.example.com', undefined],
  ])('reads the region of %s as %s', (url, expected) => {
    expect(regionOfApi(new URL(url))).toBe(expected);
  });

  it('asks for --region when neither the flag, the environment nor the host name gives one', async () => {
    const apiFetch = createApiFetch({ credentials: async () => keys, env: {} });
    await expect(apiFetch('https://changes.example.com/changes')).rejects.toThrow(ApiRegionUnknown);
    await expect(apiFetch('https://changes.example.com/changes')).rejects.toThrow(/pass --region/);
  });
});

describe('changeflow … --api https://… --region R --profile P', () => {
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const credentialsFile = join(dir, 'credentials');
    await writeFile(credentialsFile, `[default]\naws_access_key_id = AKIDWRONGDEFAULT\naws_secret_access_key = wrong\n\n[ops]\naws_access_key_id = ${opsKeys.accessKeyId}\naws_secret_access_key = ${opsKeys.secretAccessKey}\n`);
    await writeFile(join(dir, 'config'), '[default]\nregion = us-east-2\n');
    // No credentials or region in the environment: only the profile named by --profile may sign.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: dir, NODE_EXTRA_CA_CERTS: certFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: join(dir, 'config'), AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' };
    return new Promise((resolve) => {
      execFile(process.execPath, ['bin/changeflow.mjs', ...args], { cwd: join(import.meta.dirname, '../../..'), env }, (err, stdout, stderr) => {
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      });
    });
  }

  it('status signs with the profile it names and reads the 404 as "not found" (exit 4)', { timeout: 60_000 }, async () => {
    const before = tlsEndpoint.seen.length;
    const run = await cli(['status', 'cli-missing', '--api', tlsEndpoint.url, '--region', region, '--profile', 'ops']);
    expect(run.code, run.stderr).toBe(4);
    const seen = tlsEndpoint.seen.slice(before);
    expect(seen.map((s) => [s.method, s.url, s.valid])).toEqual([['GET', '/changes/cli-missing', true]]);
    expect(seen[0]?.authorization).toContain(`Credential=${opsKeys.accessKeyId}/`);
  });

  it('freeze list goes through the same signed client (exit 0)', { timeout: 60_000 }, async () => {
    const before = tlsEndpoint.seen.length;
    const run = await cli(['freeze', 'list', '--json', '--api', tlsEndpoint.url, '--region', region, '--profile', 'ops']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ freezes: [] });
    expect(tlsEndpoint.seen.slice(before).map((s) => [s.method, s.url, s.valid])).toEqual([['GET', '/freezes', true]]);
  });
});
