import { createPrivateKey } from 'node:crypto';
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
    try {
      createPrivateKey(privateKeyPem);
    } catch (err) {
      throw new InvalidInput(`fabrics.*.certificate.privateKey for ${fabric.url} is not a PEM private key (${(err as Error).message}); give the key of certificate ${fabric.certificate.name}`);
    }
    return createApicClient({ ...base, signature: { privateKeyPem, certificateDn: `uni/userext/user-${fabric.username}/usercert-${fabric.certificate.name}` } });
  }
  if (!fabric.password) throw new InvalidInput(`fabric ${fabric.url} names neither a password nor a certificate`);
  const password = await resolveSecret(fabric.password, env);
  mask(password);
  return createApicClient({ ...base, password });
}
