import { splitDn } from '../dn.js';

// Where things sit in the fabric, read from DNs: `topology/pod-1/node-101/...` names a node;
// an endpoint's path `topology/pod-1/paths-101/pathep-[eth1/11]` names its leaf and a vPC path
// `topology/pod-1/protpaths-101-102/pathep-[vpc-w1]` names both leaves of the pair.

export interface NodeRef {
  readonly pod: number;
  readonly nodeId: number;
}

const nodePattern = /^topology\/pod-(\d+)\/node-(\d+)(?:\/|$)/;
const pathPattern = /^topology\/pod-\d+\/(?:paths-(\d+)|protpaths-(\d+)-(\d+))(?:\/|$)/;

export function nodeOfDn(dn: string): NodeRef | undefined {
  const m = nodePattern.exec(dn);
  return m ? { pod: Number(m[1]), nodeId: Number(m[2]) } : undefined;
}

/** Leaf ids of a fabric path endpoint; [] for paths that name no leaf (tunnels, path groups). */
export function leavesOfPath(tDn: string): number[] {
  const m = pathPattern.exec(tDn);
  if (!m) return [];
  return m[1] !== undefined ? [Number(m[1])] : [Number(m[2]), Number(m[3])];
}

/** `uni/tn-T/…` → T. */
export function tenantOfDn(dn: string): string | undefined {
  const rn = splitDn(dn)[1];
  return dn.startsWith('uni/') && rn?.startsWith('tn-') ? rn.slice(3) : undefined;
}

/** The DN of the ancestor `depth` RNs deep: depth 3 of `uni/tn-T/out-O/instP-E` is `uni/tn-T/out-O`. */
export function ancestorAt(dn: string, depth: number): string {
  return splitDn(dn).slice(0, depth).join('/');
}
