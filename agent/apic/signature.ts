import { createSign } from 'node:crypto';

// Certificate (signature) authentication: no login; each request carries an RSA-SHA256
// signature of METHOD + path(+query) + body in cookies, as cisco.aci's cert_auth builds them.

export interface SignatureAuth {
  /** PEM private key of the user certificate. */
  privateKeyPem: string;
  /** `uni/userext/user-<user>/usercert-<name>`. */
  certificateDn: string;
}

export function signatureCookie(auth: SignatureAuth, method: string, pathWithQuery: string, body: string): string {
  const signer = createSign('RSA-SHA256');
  signer.update(`${method.toUpperCase()}${pathWithQuery}${body}`);
  const signature = signer.sign(auth.privateKeyPem, 'base64');
  return [
    'APIC-Certificate-Algorithm=v1.0',
    `APIC-Certificate-DN=${auth.certificateDn}`,
    'APIC-Certificate-Fingerprint=fingerprint',
    `APIC-Request-Signature=${signature}`,
  ].join('; ');
}
