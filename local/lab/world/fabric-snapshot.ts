import * as z from '../../../shared/zod.js';
import { parentDn, splitDn } from '../../../shared/aci/dn.js';
import type { MitReader, Mo } from '../apic/mit.js';

// What the world needs to know about the fabric, read from the APIC lab's tree: the fabric AS,
// every floating SVI with its BGP peer prefixes, the external subnets that import-secure traffic
// the ESG IP selectors that classify egress IPs and the BD subnets those selectors need. Plain data, so the rules stay pure.

export const AnchorPeer = z.object({
  /** bgpPeerP.addr: the dynamic-neighbour prefix (or one address). */
  prefix: z.string(),
  /** bgpAsP.asn under the peer: the AS the neighbours must open with; absent when unset. */
  remoteAsn: z.optional(z.int()),
});
export type AnchorPeer = z.infer<typeof AnchorPeer>;

export const FloatingSvi = z.object({
  dn: z.string(),
  podId: z.string(),
  nodeId: z.string(),
  tenant: z.string(),
  l3outDn: z.string(),
  /** The L3Out's VRF (l3extRsEctx); absent when the L3Out is not in a VRF yet. */
  vrf: z.optional(z.string()),
  /** The anchor's own address with mask, e.g. 192.168.2.1/24. */
  address: z.string(),
  encap: z.string(),
  /** l3extRsDynPathAtt.floatingAddr: how non-anchor leaves reach the subnet; absent = unreachable. */
  floatingAddr: z.optional(z.string()),
  peers: z.array(AnchorPeer),
});
export type FloatingSvi = z.infer<typeof FloatingSvi>;

export const ExternalSubnet = z.object({
  l3outDn: z.string(),
  vrf: z.optional(z.string()),
  instP: z.string(),
  ip: z.string(),
  scopes: z.array(z.string()),
});
export type ExternalSubnet = z.infer<typeof ExternalSubnet>;

export const EsgIpSelector = z.object({
  esgDn: z.string(),
  /** The selected subnet, e.g. 192.168.3.200/32, from matchExpression ip=='…'. */
  ip: z.string(),
  vrf: z.optional(z.string()),
});
export type EsgIpSelector = z.infer<typeof EsgIpSelector>;

/** A bridge-domain subnet (fvSubnet under fvBD) with the BD's VRF: where a BD learns endpoint IPs. */
export const BdSubnet = z.object({
  bdDn: z.string(),
  /** Gateway address with mask, e.g. 192.168.3.1/24. */
  ip: z.string(),
  vrf: z.optional(z.string()),
});
export type BdSubnet = z.infer<typeof BdSubnet>;

export const FabricSnapshot = z.object({
  fabricAsn: z.optional(z.int()),
  svis: z.array(FloatingSvi),
  externalSubnets: z.array(ExternalSubnet),
  esgSelectors: z.array(EsgIpSelector),
  bdSubnets: z.array(BdSubnet),
});
export type FabricSnapshot = z.infer<typeof FabricSnapshot>;

function asn(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

function l3outOf(dn: string): string {
  return splitDn(dn).slice(0, 3).join('/');
}

export function readFabric(mit: MitReader): FabricSnapshot {
  const vrfOf = (l3outDn: string): string | undefined => mit.get(`${l3outDn}/rsectx`)?.attrs.tnFvCtxName || undefined;
  const svis: FloatingSvi[] = [];
  for (const vlifp of mit.byClass('l3extVirtualLIfP')) {
    const node = /^topology\/pod-(\d+)\/node-(\d+)$/.exec(vlifp.attrs.nodeDn ?? '');
    if (!node) continue;
    const kids = mit.children(vlifp.dn);
    const l3outDn = l3outOf(vlifp.dn);
    svis.push({
      dn: vlifp.dn,
      podId: node[1] ?? '1',
      nodeId: node[2] ?? '',
      tenant: (splitDn(vlifp.dn)[1] ?? '').replace(/^tn-/, ''),
      l3outDn,
      vrf: vrfOf(l3outDn),
      address: vlifp.attrs.addr ?? '',
      encap: vlifp.attrs.encap ?? '',
      floatingAddr: kids.find((k) => k.className === 'l3extRsDynPathAtt')?.attrs.floatingAddr || undefined,
      peers: kids
        .filter((k) => k.className === 'bgpPeerP')
        .map((p) => ({ prefix: p.attrs.addr ?? '', remoteAsn: asn(mit.get(`${p.dn}/as`)?.attrs.asn) })),
    });
  }
  const externalSubnets = mit.byClass('l3extSubnet').map((s) => {
    const l3outDn = l3outOf(s.dn);
    return {
      l3outDn,
      vrf: vrfOf(l3outDn),
      instP: (splitDn(s.dn)[3] ?? '').replace(/^instP-/, ''),
      ip: s.attrs.ip ?? '',
      scopes: (s.attrs.scope ?? '').split(',').map((x) => x.trim()).filter(Boolean),
    };
  });
  const esgSelectors: EsgIpSelector[] = [];
  for (const sel of mit.byClass('fvEPSelector')) {
    const ip = /^\s*ip\s*==\s*'([^']+)'\s*$/.exec(sel.attrs.matchExpression ?? '')?.[1];
    if (!ip) continue;
    const esgDn = splitDn(sel.dn).slice(0, -1).join('/');
    esgSelectors.push({ esgDn, ip, vrf: mit.get(`${esgDn}/rsscope`)?.attrs.tnFvCtxName || undefined });
  }
  const bdSubnets = mit.byClass('fvSubnet').flatMap((sub) => {
    const bdDn = parentDn(sub.dn);
    if (mit.get(bdDn)?.className !== 'fvBD') return [];
    return [{ bdDn, ip: sub.attrs.ip ?? '', vrf: mit.get(`${bdDn}/rsctx`)?.attrs.tnFvCtxName || undefined }];
  });
  return { fabricAsn: asn(mit.get('uni/fabric/bgpInstP-default/as')?.attrs.asn), svis, externalSubnets, esgSelectors, bdSubnets };
}

/**
 * A MitReader over the APIC lab's policy dump ({dn: {class: attrs}}). Reading the live tree makes
 * the APIC lab rebuild its operational MOs on every call; the world only needs configuration.
 */
export function dumpReader(dump: Record<string, Record<string, Record<string, string>>>): MitReader {
  const byDn = new Map<string, Mo>();
  const kids = new Map<string, Mo[]>();
  const classes = new Map<string, Mo[]>();
  for (const dn of Object.keys(dump).sort()) {
    const [className, attrs] = Object.entries(dump[dn] ?? {})[0] ?? [];
    if (!className || !attrs) continue;
    const mo: Mo = { className, dn, attrs, modTs: '' };
    byDn.set(dn, mo);
    const parent = parentDn(dn);
    if (!kids.has(parent)) kids.set(parent, []);
    kids.get(parent)?.push(mo);
    if (!classes.has(className)) classes.set(className, []);
    classes.get(className)?.push(mo);
  }
  return { get: (dn) => byDn.get(dn), byClass: (c) => classes.get(c) ?? [], children: (dn) => kids.get(dn) ?? [] };
}
