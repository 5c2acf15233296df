import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeflowError } from '../../../shared/errors.js';
import { runOpenssl } from '../openssl.js';

// kubectl only sends a bearer token over TLS (client-go reads user credentials only when the
// transport is secure), so the lab API speaks HTTPS too, with a throwaway self-signed
// certificate for 127.0.0.1 that the kubeconfig trusts. Made once per process with openssl.
export interface LabTls {
  key: string;
  cert: string;
}

export class LabTlsUnavailable extends ChangeflowError {
  override readonly name = 'LabTlsUnavailable' as const;
}

let cached: Promise<LabTls> | undefined;

export function labTls(): Promise<LabTls> {
  cached ??= generate();
  return cached;
}

async function generate(): Promise<LabTls> {
  const dir = await mkdtemp(join(tmpdir(), 'changeflow-lab-tls-'));
  try {
    await runOpenssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '3650',
      '-subj', '/CN=changeflow-lab-kube-apiserver',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
      '-addext', 'extendedKeyUsage=serverAuth',
    ], (problem) => new LabTlsUnavailable(`the Kubernetes lab needs openssl to make its TLS certificate: ${problem}`));
    return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } catch (err) {
    cached = undefined;
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
