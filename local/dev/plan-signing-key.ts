import { createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePlanKeyPair, localKeyId } from '../../shared/signing/index.js';

// `changeflow dev` signs plans as AWS would, with its own key pair in the data dir: the private
// key for the in-process plan function (CHANGEFLOW_PLAN_SIGNING_KEY_FILE, mode 0600), the public
// key for the agent's config (planSigning.keys). Kept across restarts, like the webhook secret.

export interface LocalPlanKey {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
  readonly keyId: string;
}

export async function ensurePlanSigningKey(dataDir: string): Promise<LocalPlanKey> {
  return ensureKeyPair(dataDir, 'plan-signing');
}

/**
 * The audit anchor's own key pair (audit-anchor.key.pem / .pub.pem): a sibling of the plan key,
 * not the same one, so that whoever may anchor an audit head still cannot sign a plan.
 */
export async function ensureAnchorSigningKey(dataDir: string): Promise<LocalPlanKey> {
  return ensureKeyPair(dataDir, 'audit-anchor');
}

async function ensureKeyPair(dataDir: string, stem: string): Promise<LocalPlanKey> {
  const privateKeyFile = join(dataDir, `${stem}.key.pem`);
  const publicKeyFile = join(dataDir, `${stem}.pub.pem`);
  try {
    const publicPem = await readFile(publicKeyFile, 'utf8');
    await readFile(privateKeyFile, 'utf8');
    return { privateKeyFile, publicKeyFile, keyId: localKeyId(createPublicKey(publicPem)) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const pair = generatePlanKeyPair('p256');
  await writeFile(privateKeyFile, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(publicKeyFile, pair.publicKeyPem, { mode: 0o644 });
  return { privateKeyFile, publicKeyFile, keyId: pair.keyId };
}
