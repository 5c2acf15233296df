import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { readFileSync } from 'node:fs';
import { localPageLinkMac, type PageLinkMac } from '../../shared/signing/page-link.js';
import { ConfigInvalid } from './config.js';

// The key behind the ticket notes' page links (shared/signing/page-link.ts), from the function's
// environment: a KMS HMAC_256 key on AWS (cdk/page-link-key.ts: the note-writing steps may only
// GenerateMac, the public page function may only VerifyMac), a 32-byte key file in the data dir
// for `changeflow dev`. Read once per container.

export function kmsPageLinkMac(client: KMSClient, keyId: string): PageLinkMac {
  return {
    async generate(message) {
      const out = await client.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
      if (!out.Mac) throw new Error(`KMS GenerateMac with ${keyId} answered no MAC`);
      return Buffer.from(out.Mac);
    },
    async verify(message, mac) {
      try {
        const out = await client.send(new VerifyMacCommand({ KeyId: keyId, Message: message, Mac: mac, MacAlgorithm: 'HMAC_SHA_256' }));
        return out.MacValid === true;
      } catch (err) {
        // KMS answers a MAC that does not verify with this exception rather than MacValid: false.
        if (err instanceof KMSInvalidMacException) return false;
        throw err;
      }
    },
  };
}

let cached: { key: string; mac: PageLinkMac } | undefined;

/** undefined when neither is configured: notes then carry no link. */
export function pageLinkMacFromEnv(env: NodeJS.ProcessEnv = process.env): PageLinkMac | undefined {
  // The local stack names a key file; the local engine also passes the CDK environment (the KMS
  // key ARN), so the file wins. On AWS only the KMS key is set.
  const file = env['CHANGEFLOW_PAGE_LINK_KEY_FILE'];
  const kmsKey = env['CHANGEFLOW_PAGE_LINK_KMS_KEY_ID'];
  const which = file ? `file:${file}` : kmsKey ? `kms:${kmsKey}` : undefined;
  if (!which) return undefined;
  if (cached?.key === which) return cached.mac;
  const mac = file ? localPageLinkMac(readKeyFile(file)) : kmsPageLinkMac(new KMSClient({ region: env['AWS_REGION'] ?? 'us-east-1' }), kmsKey ?? '');
  cached = { key: which, mac };
  return mac;
}

function readKeyFile(file: string): Buffer {
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } catch (err) {
    throw new ConfigInvalid(`CHANGEFLOW_PAGE_LINK_KEY_FILE names ${file}, which cannot be read (${(err as Error).message}); run \`changeflow dev\` to create it or fix the path`);
  }
}
