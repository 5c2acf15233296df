import type { ApicSecretAttribute } from '../../plan/index.js';
import type { AciMo } from './aci-mo.js';

// Write-only attributes (bgpPeerP.password) are never returned by the APIC, so neither the facts
// nor a read-back can tell which password a peer has. The object records instead *which secret
// reference* set it, in its `descr`; the value itself is filled in by the agent from that
// reference just before the POST (ApicRequest.secrets). Planning compares the references: the
// same reference plans nothing, another one (a rotation) plans a modify whose inverse names the
// previous reference again. A reference whose value changes under the same name is not seen:
// rotate by naming a new reference.

const prefix = 'changeflow BGP password from secret ';

/** Which write-only attribute each class takes from the reference its descr records. */
const secretAttribute: Readonly<Record<string, string>> = { bgpPeerP: 'password' };

export function secretDescr(secretRef: string): string {
  return `${prefix}${secretRef}`;
}

export function secretRefOfDescr(descr: string | undefined): string | undefined {
  return descr?.startsWith(prefix) ? descr.slice(prefix.length) : undefined;
}

/**
 * What a POST entry needs for its write-only attribute: the reference to fill it from (descr
 * names one), or an empty value that clears it (descr is being set to something else), or
 * nothing (descr is not part of the entry, or the class has no such attribute).
 */
export function secretOfEntry(mo: AciMo): { secret?: ApicSecretAttribute; clear?: string } {
  const attribute = secretAttribute[mo.className];
  const descr = mo.attrs.descr;
  if (attribute === undefined || descr === undefined || mo.attrs.status === 'deleted') return {};
  const secretRef = secretRefOfDescr(descr);
  return secretRef !== undefined ? { secret: { dn: mo.dn, attribute, secretRef } } : { clear: attribute };
}

/**
 * The entries with the secrets the agent must fill in; with `clearing` (a modify, whose entries
 * carry only what changes) an entry whose descr no longer names a reference also clears the
 * attribute — a new object has no password to clear.
 */
export function withSecrets(entries: ReadonlyArray<AciMo>, clearing: boolean): { entries: AciMo[]; secrets: ApicSecretAttribute[] } {
  const secrets: ApicSecretAttribute[] = [];
  const out = entries.map((mo) => {
    const { secret, clear } = secretOfEntry(mo);
    if (secret) secrets.push(secret);
    return clear !== undefined && clearing ? { ...mo, attrs: { ...mo.attrs, [clear]: '' } } : mo;
  });
  return { entries: out, secrets };
}
