import { X509Certificate } from 'node:crypto';
import { parentDn } from '../../../shared/aci/dn.js';
import { apicErrors } from './lab-error.js';
import type { TreeView } from './txn.js';
import type { Change } from './write.js';

// Semantic checks a real APIC makes before it accepts a transaction: one leaf in two L3Outs of the
// same VRF must keep one router id (NaC #258); a user certificate must be a certificate, since
// signature authentication verifies requests with it (signature-auth.ts).

function vrfOf(view: TreeView, l3outDn: string): string | undefined {
  const name = view.get(`${l3outDn}/rsectx`)?.attrs.tnFvCtxName;
  return name ? `${parentDn(l3outDn)}/ctx-${name}` : undefined;
}

function checkRouterIds(view: TreeView): void {
  const seen = new Map<string, { rtrId: string; l3out: string }>();
  for (const att of view.byClass('l3extRsNodeL3OutAtt')) {
    const l3out = parentDn(parentDn(att.dn));
    const vrf = vrfOf(view, l3out);
    const rtrId = att.attrs.rtrId ?? '';
    const node = att.attrs.tDn ?? '';
    if (!vrf || rtrId === '' || node === '') continue;
    const key = `${vrf}|${node}`;
    const other = seen.get(key);
    if (other && other.rtrId !== rtrId && other.l3out !== l3out) {
      throw apicErrors.invalidConfig(
        `VRF Validation failed for VRF ${vrf}: Different RouterId exists for node ${node} ` +
          `(${other.rtrId} in ${other.l3out}, ${rtrId} in ${l3out})`,
      );
    }
    if (!other) seen.set(key, { rtrId, l3out });
  }
}

function checkCertificates(view: TreeView, changes: ReadonlyArray<Change>): void {
  for (const c of changes) {
    if (c.className !== 'aaaUserCert' || c.status === 'deleted') continue;
    const data = view.get(c.dn)?.attrs.data ?? '';
    try {
      new X509Certificate(data);
    } catch {
      throw apicErrors.badValue(data.length > 40 ? `${data.slice(0, 40)}…` : data, 'data', 'aaaUserCert', c.dn);
    }
  }
}

export function checkRules(view: TreeView, changes: ReadonlyArray<Change>): void {
  if (changes.some((c) => c.className === 'l3extRsNodeL3OutAtt' || c.className === 'l3extRsEctx')) checkRouterIds(view);
  checkCertificates(view, changes);
}
