import type { BgpPeering } from './schema.js';

/** `AS 64512 ↔ fabric AS 65001 via 192.168.2.0/24 vlan-300, anchors 101,102`. */
export function describeBgpPeering(change: BgpPeering, fabricAsn: number): string {
  return `AS ${change.clusterAsn} ↔ fabric AS ${fabricAsn} via ${change.peeringSubnet} vlan-${change.vlan}, anchors ${change.anchors.map((a) => a.nodeId).join(',')}${change.bfd ? ', bfd' : ''}`;
}
