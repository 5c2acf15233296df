import { verify, X509Certificate } from 'node:crypto';
import { localUserDn } from '../../../shared/aci/model/dns.js';
import { apicErrors } from './lab-error.js';
import type { Mit } from './mit.js';

// Signature (certificate) authentication as an APIC does it: no aaaLogin; every request carries
// APIC-Certificate-DN naming a user's certificate (`uni/userext/user-U/usercert-C`) and
// APIC-Request-Signature, the base64 RSA-SHA256 signature of METHOD + path with its query, as sent,
// + body. The APIC verifies it with the stored certificate's public key, RSA (algorithm v1.0 is
// RSA-SHA256); an unknown certificate, an inactive user, a key of another type or a signature over
// anything else is refused with 403.

const certificateDn = /^uni\/userext\/user-([^/]+)\/usercert-([^/]+)$/;

function cookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

/** True when the request is signed (then it must verify); false for a token request. */
export function isSigned(cookieHeader: string | undefined): boolean {
  return cookies(cookieHeader).has('APIC-Request-Signature');
}

/** The user a signed request authenticates, or a 403 ApicLabError. `url`: the request target as sent. */
export function signedRequestUser(mit: Mit, cookieHeader: string | undefined, method: string, url: string, body: string): string {
  const c = cookies(cookieHeader);
  const dn = c.get('APIC-Certificate-DN') ?? '';
  const signature = c.get('APIC-Request-Signature') ?? '';
  if (c.get('APIC-Certificate-Algorithm') !== 'v1.0') throw apicErrors.badSignature('APIC-Certificate-Algorithm must be v1.0');
  const named = certificateDn.exec(dn);
  const cert = named ? mit.get(dn) : undefined;
  if (!named || cert?.className !== 'aaaUserCert') throw apicErrors.badSignature(`no user certificate at APIC-Certificate-DN ${dn || '(missing)'}`);
  const user = named[1] ?? '';
  if (mit.get(localUserDn(user))?.attrs.accountStatus === 'inactive') throw apicErrors.badSignature(`user ${user} is inactive`);
  const key = new X509Certificate(cert.attrs.data ?? '').publicKey;
  // node's verify would take an EC key as ECDSA with SHA-256; v1.0 is RSA only.
  if (key.asymmetricKeyType !== 'rsa') throw apicErrors.badSignature(`${dn} holds a ${key.asymmetricKeyType ?? 'non-RSA'} key; APIC-Certificate-Algorithm v1.0 verifies RSA-SHA256 only`);
  const ok = verify('RSA-SHA256', Buffer.from(`${method}${url}${body}`), key, Buffer.from(signature, 'base64'));
  if (!ok) throw apicErrors.badSignature(`the signature does not verify with ${dn}`);
  return user;
}
