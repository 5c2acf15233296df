import { createHmac, timingSafeEqual } from 'node:crypto';

// Links to one change's timeline page that open without AWS credentials, like an S3 presigned
// URL: the API routes are IAM-protected, but whoever reads the ticket note (a change manager in
// ServiceNow or Jira) has none. A link names the change and an expiry, and carries an HMAC-SHA256
// over both; the public route that serves it (GET /links/changes/{id}) checks the MAC and the
// expiry and renders that change's page, nothing else. On AWS the MAC comes from a KMS HMAC key
// (GenerateMac for the steps that write notes, VerifyMac for the page function only:
// functions/runtime/page-link-mac.ts); locally from a key file in the data dir. KMS HMAC_SHA_256
// is plain HMAC-SHA256 over the message, so both make the same links.

export const pageLinkPath = '/links/changes';

/** Computes and checks MACs; the key never leaves it (KMS, or a key file read once). */
export interface PageLinkMac {
  generate(message: Buffer): Promise<Buffer>;
  verify(message: Buffer, mac: Buffer): Promise<boolean>;
}

/** What the MAC covers: a version tag (so no other HMAC use of the key can pass for a link), the change id and the expiry. */
export function pageLinkMessage(changeId: string, expiresEpochSeconds: number): Buffer {
  return Buffer.from(`changeflow-page-link/v1\n${changeId}\n${expiresEpochSeconds}`, 'utf8');
}

export async function mintPageLink(opts: { baseUrl: string; changeId: string; expiresAt: Date; mac: PageLinkMac }): Promise<string> {
  const expires = Math.floor(opts.expiresAt.getTime() / 1000);
  const signature = (await opts.mac.generate(pageLinkMessage(opts.changeId, expires))).toString('base64url');
  const query = new URLSearchParams({ expires: String(expires), signature });
  return `${opts.baseUrl.replace(/\/$/, '')}${pageLinkPath}/${encodeURIComponent(opts.changeId)}?${query.toString()}`;
}

export type PageLinkCheck = { ok: true; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired'; message: string; expiresAt?: Date };

/**
 * The MAC is checked before the expiry, so an edited expiry is "invalid" (403), never "expired":
 * only a link changeflow minted can be told apart as expired (410).
 */
export async function checkPageLink(opts: { changeId: string; expires?: string; signature?: string; now: Date; mac: PageLinkMac }): Promise<PageLinkCheck> {
  const { expires, signature } = opts;
  if (!expires || !/^\d{1,12}$/.test(expires) || !signature || !/^[A-Za-z0-9_-]{16,128}$/.test(signature)) {
    return { ok: false, reason: 'invalid', message: 'the link is incomplete: it needs the expires and signature it was written with' };
  }
  const epoch = Number(expires);
  if (!(await opts.mac.verify(pageLinkMessage(opts.changeId, epoch), Buffer.from(signature, 'base64url')))) {
    return { ok: false, reason: 'invalid', message: 'the link was not made by changeflow for this change, or was altered' };
  }
  const expiresAt = new Date(epoch * 1000);
  if (opts.now.getTime() >= expiresAt.getTime()) {
    return { ok: false, reason: 'expired', expiresAt, message: `the link expired at ${expiresAt.toISOString()}` };
  }
  return { ok: true, expiresAt };
}

/** HMAC-SHA256 with a key held in memory (the dev stack's data-dir key, tests). */
export function localPageLinkMac(key: Buffer): PageLinkMac {
  if (key.length < 32) throw new Error(`a page-link key needs at least 32 bytes, found ${key.length}`);
  const mac = (message: Buffer) => createHmac('sha256', key).update(message).digest();
  return {
    generate: (message) => Promise.resolve(mac(message)),
    verify: (message, given) => {
      const expected = mac(message);
      return Promise.resolve(given.length === expected.length && timingSafeEqual(given, expected));
    },
  };
}
