import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApicClient } from '../../agent/apic/client.js';
import { makeUserCertificate } from '../lab/apic/user-certificate.js';

// `changeflow dev --apic-auth certificate`: the lab agent authenticates as a bastion should, by
// signature. The steps an operator takes (docs/runbook.md §8): make a key and a certificate,
// install the certificate as the agent user's aaaUserCert (here over the lab APIC's REST API,
// with the admin password, as aci_aaa_user_certificate would), keep the key beside the config.

export const labCertificateName = 'changeflow-agent';

export async function installAgentCertificate(dataDir: string, apic: { url: string; username: string; password: string }): Promise<{ name: string; keyFile: string }> {
  const cert = await makeUserCertificate(apic.username);
  const admin = createApicClient({ url: apic.url, username: apic.username, password: apic.password });
  await admin.post(`uni/userext/user-${apic.username}/usercert-${labCertificateName}`, {
    aaaUserCert: { attributes: { name: labCertificateName, data: cert.certificatePem } },
  });
  await admin.logout();
  const keyFile = join(dataDir, 'apic-agent.key');
  await writeFile(keyFile, cert.privateKeyPem, { mode: 0o600 });
  return { name: labCertificateName, keyFile };
}
