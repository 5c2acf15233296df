import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NodeSha256 } from '../../cli/api-signing.js';

// A stand-in for API Gateway's IAM authorizer: it recomputes each request's SigV4 signature with
// the same library and the credentials it knows, and answers 403 when the Authorization header
// differs (or the body is not the one whose hash was signed), else the handler's answer.

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly authorization?: string;
  /** undefined when unsigned; otherwise whether the signature is the one the known keys make. */
  readonly valid?: boolean;
  readonly reason?: string;
}

export interface SigV4Endpoint {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

const authPattern = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export async function verifySigV4(req: IncomingMessage, body: string, expected: { region: string; service: string; credentials: AwsCredentialIdentity }): Promise<{ valid: boolean; reason?: string }> {
  const authorization = req.headers.authorization ?? '';
  const m = authPattern.exec(authorization);
  if (!m) return { valid: false, reason: 'no SigV4 Authorization header' };
  const [, keyId, , region, service, signedHeaders] = m;
  if (keyId !== expected.credentials.accessKeyId) return { valid: false, reason: `unknown access key ${keyId}` };
  if (region !== expected.region || service !== expected.service) return { valid: false, reason: `scope ${region}/${service}` };
  const bodyHash = createHash('sha256').update(body).digest('hex');
  if (req.headers['x-amz-content-sha256'] !== bodyHash) return { valid: false, reason: 'x-amz-content-sha256 is not the hash of the body received' };
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders ?? '').split(';')) {
    const value = req.headers[name];
    if (value === undefined) return { valid: false, reason: `signed header ${name} missing` };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(headers['x-amz-date'] ?? '');
  if (!date) return { valid: false, reason: 'no x-amz-date' };
  const signingDate = new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`);
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  const signer = new SignatureV4({ service: expected.service, region: expected.region, credentials: expected.credentials, sha256: NodeSha256 });
  const resigned = await signer.sign(
    { method: req.method ?? 'GET', protocol: 'https:', hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers, body: body === '' ? undefined : body },
    { signingDate },
  );
  return resigned.headers['authorization'] === authorization ? { valid: true } : { valid: false, reason: 'signature mismatch' };
}

/** A self-signed certificate for 127.0.0.1 (openssl), so a client can trust it with NODE_EXTRA_CA_CERTS. */
export function selfSignedCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'endpoint.key');
  const certFile = join(dir, 'endpoint.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

export async function startSigV4Endpoint(opts: {
  region: string;
  credentials: AwsCredentialIdentity;
  tls?: { key: string; cert: string };
  answer: (req: SeenRequest) => { status: number; body: unknown };
}): Promise<SigV4Endpoint> {
  const seen: SeenRequest[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void (async () => {
        const verdict = req.headers.authorization === undefined ? undefined : await verifySigV4(req, body, { region: opts.region, service: 'execute-api', credentials: opts.credentials });
        const request: SeenRequest = { method: req.method ?? '', url: req.url ?? '', body, authorization: req.headers.authorization, valid: verdict?.valid, reason: verdict?.reason };
        seen.push(request);
        const reply = verdict?.valid === true ? opts.answer(request) : { status: 403, body: { message: verdict ? `The request signature we calculated does not match (${verdict.reason})` : 'Missing Authentication Token' } };
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      })().catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`verifier failed: ${String(err)}`);
      });
    });
  };
  const server: Server = opts.tls ? createHttpsServer(opts.tls, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
