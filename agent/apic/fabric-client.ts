import { createPrivateKey } from 'node:crypto';
import { userCertificateDn } from '../../shared/aci/model/dns.js';
import { InvalidInput } from '../../shared/errors.js';
import { resolveSecret, type AgentConfig } from '../config.js';
import { createApicClient, type ApicClient } from './client.js';

// The APIC client of one configured fabric, with the auth its config names: a password (aaaLogin
// and a refreshed token) or a certificate (every request signed, no login at all — one request
// fewer per agent start and nothing to expire mid-change). Secrets are handed to `mask` first.

type FabricConfig = AgentConfig['fabrics'][string];

export async function apicClientOf(fabric: FabricConfig, env: NodeJS.ProcessEnv, mask: (secret: string) => void): Promise<ApicClient> {
  const base = { url: fabric.url, username: fabric.username, timeoutMs: fabric.timeoutMs };
  if (fabric.certificate) {
    const privateKeyPem = await resolveSecret(fabric.certificate.privateKey, env);
    mask(privateKeyPem);
    let keyType: string | undefined;
    try {
      keyType = createPrivateKey(privateKeyPem).asymmetricKeyType;
    } catch (err) {
      throw new InvalidInput(`fabrics.*.certificate.privateKey for ${fabric.url} is not a PEM private key (${(err as Error).message}); give the key of certificate ${fabric.certificate.name}`);
    }
    // The APIC verifies APIC-Certificate-Algorithm v1.0 as RSA-SHA256: any other key fails every request.
    if (keyType !== 'rsa') throw new InvalidInput(`fabrics.*.certificate.privateKey for ${fabric.url} is an ${keyType ?? 'unknown'} key; APIC signature auth takes RSA (openssl req -x509 -newkey rsa:2048 …)`);
    return createApicClient({ ...base, signature: { privateKeyPem, certificateDn: userCertificateDn(fabric.username, fabric.certificate.name) } });
  }
  if (!fabric.password) throw new InvalidInput(`fabric ${fabric.url} names neither a password nor a certificate`);
  const password = await resolveSecret(fabric.password, env);
  mask(password);
  return createApicClient({ ...base, password });
}
