import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeflowError } from '../../../shared/errors.js';
import { runOpenssl } from '../openssl.js';

// A key pair and self-signed X.509 certificate for an APIC local user, as an operator makes one
// for signature auth (`openssl req -x509 -newkey rsa:2048 …`, then aci_aaa_user_certificate): the
// certificate goes to the APIC as aaaUserCert.data, the key to the agent. Made with openssl, which
// the Kubernetes lab needs already (tls.ts).

export interface UserCertificate {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export class UserCertificateUnavailable extends ChangeflowError {
  override readonly name = 'UserCertificateUnavailable' as const;
}

export async function makeUserCertificate(user: string): Promise<UserCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'changeflow-apic-cert-'));
  try {
    await runOpenssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '3650', '-subj', `/CN=${user}/O=changeflow`],
      (problem) => new UserCertificateUnavailable(`an APIC user certificate needs openssl: ${problem}`),
    );
    return { privateKeyPem: await readFile(join(dir, 'key.pem'), 'utf8'), certificatePem: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
