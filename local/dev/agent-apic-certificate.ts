import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApicClient } from '../../agent/apic/client.js';
import type { SignatureAuth } from '../../agent/apic/signature.js';
import { userCertificateDn } from '../../shared/aci/index.js';
import { makeUserCertificate } from '../lab/apic/user-certificate.js';

// Signature auth for a lab APIC's user, set up as an operator does (docs/runbook.md §8): make a key
// and a certificate, install the certificate as the user's aaaUserCert over the REST API with the
// admin password (as aci_aaa_user_certificate would), keep the key for the client.

export const labCertificateName = 'changeflow-agent';

/** Installs a fresh certificate `name` for the lab's user; the key and DN a signing client needs. */
export async function installUserCertificate(apic: { url: string; username: string; password: string }, name: string): Promise<SignatureAuth> {
  const cert = await makeUserCertificate(apic.username);
  const certificateDn = userCertificateDn(apic.username, name);
  const admin = createApicClient({ url: apic.url, username: apic.username, password: apic.password });
  await admin.post(certificateDn, { aaaUserCert: { attributes: { name, data: cert.certificatePem } } });
  await admin.logout();
  return { privateKeyPem: cert.privateKeyPem, certificateDn };
}

/** `changeflow dev --apic-auth certificate`: the lab agent's certificate, its key beside the config. */
export async function installAgentCertificate(dataDir: string, apic: { url: string; username: string; password: string }): Promise<{ name: string; keyFile: string }> {
  const { privateKeyPem } = await installUserCertificate(apic, labCertificateName);
  const keyFile = join(dataDir, 'apic-agent.key');
  await writeFile(keyFile, privateKeyPem, { mode: 0o600 });
  return { name: labCertificateName, keyFile };
}
