import * as z from '../../../shared/zod.js';
import { selectorMatches } from '../../../shared/cilium/label-selector.js';
import type { BgpInstanceSpec, BgpPeerSpec, ClusterNode, ClusterSnapshot } from './cluster-snapshot.js';
import type { FabricSnapshot, FloatingSvi } from './fabric-snapshot.js';
import { hostPart, ipInPrefix } from './ip-math.js';

// The BGP rule of the lab world (docs/architecture.md §3.5): a session between a node and an anchor leaf is
// established only when both sides agree. Cilium side: the peer address is an anchor's floating
// SVI address, peerASN is the fabric AS (or 0, learned from OPEN), the node is selected. APIC side:
// a bgpPeerP on that anchor has a prefix containing the node IP, its bgpAsP is the cluster AS, and
// the node can reach the anchor (node IP inside the SVI subnet, a floating address, an L3Out VRF).
//
// When they disagree the states are what each speaker would plausibly show:
//   no SVI with that address / unreachable / no APIC prefix → Cilium `active` (TCP connect fails),
//     no APIC entry (or `idle` for a learned endpoint inside another prefix);
//   Cilium peerASN ≠ fabric AS → Cilium rejects the fabric's OPEN: Cilium `active`, APIC `opensent`;
//   APIC remote AS ≠ instance localASN → the anchor rejects the node's OPEN: Cilium `open_sent`, APIC `idle`;
//   fault bgp.establish=never → what would be established stays Cilium `active` / APIC `idle`.
//   fault bgp.session=down (run time) → what is established drops to Cilium `active` / APIC `idle`.

export const CiliumPeeringState = z.enum(['unknown', 'idle', 'connect', 'active', 'open_sent', 'open_confirm', 'established']);
export type CiliumPeeringState = z.infer<typeof CiliumPeeringState>;

/** bgpPeerEntry.operSt values. */
export const ApicOperSt = z.enum(['idle', 'connect', 'active', 'opensent', 'openconfirm', 'established']);
export type ApicOperSt = z.infer<typeof ApicOperSt>;

export const SessionAnchor = z.object({
  podId: z.string(),
  nodeId: z.string(),
  tenant: z.string(),
  l3outDn: z.string(),
  vrf: z.optional(z.string()),
  /** The bgpPeerP prefix that admits the node, when there is one. */
  prefix: z.optional(z.string()),
});
export type SessionAnchor = z.infer<typeof SessionAnchor>;

export const Session = z.object({
  node: z.string(),
  nodeIp: z.optional(z.string()),
  instance: z.string(),
  peer: z.string(),
  peerAddress: z.optional(z.string()),
  localAsn: z.optional(z.int()),
  peerAsn: z.optional(z.int()),
  peerConfigRef: z.optional(z.string()),
  anchor: z.optional(SessionAnchor),
  cilium: CiliumPeeringState,
  /** Absent: the fabric shows no neighbour entry for this node. */
  apic: z.optional(ApicOperSt),
  /** Why the session is not up, in operator words; "established" when it is. */
  reason: z.string(),
});
export type Session = z.infer<typeof Session>;

export interface SessionRules {
  /** Fault bgp.establish=never: nothing ever establishes. */
  neverEstablish: boolean;
  /**
   * Fault bgp.session=down, set at run time: every session that would be established has dropped
   * (Cilium `active` after the hold timer, the anchor back to `idle`), as when a link or a peer dies
   * after the change was verified. Clearing the fault brings them back.
   */
  sessionsDown?: boolean;
}

/** Nodes each CiliumBGPClusterConfig selects; a node already claimed by an earlier config is left out, as the operator does. */
export function selectedNodes(cluster: ClusterSnapshot): Array<{ config: string; node: ClusterNode; instances: BgpInstanceSpec[] }> {
  if (cluster.config['enable-bgp-control-plane'] !== 'true') return [];
  const claimed = new Set<string>();
  const out: Array<{ config: string; node: ClusterNode; instances: BgpInstanceSpec[] }> = [];
  for (const cc of cluster.clusterConfigs) {
    for (const node of cluster.nodes) {
      if (claimed.has(node.name) || !selectorMatches(cc.nodeSelector, node.labels)) continue;
      claimed.add(node.name);
      out.push({ config: cc.name, node, instances: cc.instances });
    }
  }
  return out;
}

export function bgpSessions(fabric: FabricSnapshot, cluster: ClusterSnapshot, rules: SessionRules): Session[] {
  return selectedNodes(cluster).flatMap(({ node, instances }) =>
    instances.flatMap((instance) => instance.peers.map((peer) => judge(fabric, node, instance, peer, rules))),
  );
}

function prefixLength(prefix: string): number {
  const slash = prefix.indexOf('/');
  return slash < 0 ? 128 : Number(prefix.slice(slash + 1));
}

function judge(fabric: FabricSnapshot, node: ClusterNode, instance: BgpInstanceSpec, peer: BgpPeerSpec, rules: SessionRules): Session {
  const base = {
    node: node.name, nodeIp: node.ip, instance: instance.name, peer: peer.name, peerAddress: peer.peerAddress,
    localAsn: instance.localASN, peerAsn: peer.peerASN, peerConfigRef: peer.peerConfigRef,
  };
  const down = (cilium: CiliumPeeringState, reason: string, anchor?: SessionAnchor, apic?: ApicOperSt): Session => ({ ...base, anchor, cilium, apic, reason });
  if (!peer.peerAddress) return down('idle', `peer ${peer.name} has no peerAddress (auto-discovery is not emulated)`);
  const svi = fabric.svis.find((s: FloatingSvi) => hostPart(s.address) === peer.peerAddress);
  if (!svi) return down('active', `no floating SVI on the fabric has address ${peer.peerAddress}`);
  const anchor: SessionAnchor = { podId: svi.podId, nodeId: svi.nodeId, tenant: svi.tenant, l3outDn: svi.l3outDn, vrf: svi.vrf };
  const leaf = `anchor ${svi.nodeId}`;
  if (!node.ip) return down('active', `node ${node.name} has no InternalIP`, anchor);
  if (!ipInPrefix(node.ip, svi.address)) return down('active', `node IP ${node.ip} is outside the floating SVI subnet ${svi.address} of ${leaf}`, anchor);
  if (!svi.floatingAddr) return down('active', `the floating SVI of ${leaf} has no floating address (l3extRsDynPathAtt.floatingAddr): nodes cannot reach it`, anchor);
  if (!svi.vrf) return down('active', `L3Out ${svi.l3outDn} is in no VRF (l3extRsEctx missing)`, anchor);
  const admitting = svi.peers.filter((p) => ipInPrefix(node.ip ?? '', p.prefix)).sort((a, b) => prefixLength(b.prefix) - prefixLength(a.prefix))[0];
  if (!admitting) return down('active', `${leaf} has no BGP peer prefix (bgpPeerP) containing node IP ${node.ip}`, anchor);
  anchor.prefix = admitting.prefix;
  const fabricAsn = fabric.fabricAsn;
  if (peer.peerASN !== undefined && peer.peerASN !== 0 && peer.peerASN !== fabricAsn) {
    return down('active', `peer ${peer.name} expects AS ${peer.peerASN} but the fabric opens with AS ${fabricAsn ?? 'unknown'}`, anchor, 'opensent');
  }
  if (instance.localASN === undefined) return down('idle', `BGP instance ${instance.name} has no localASN`, anchor, 'idle');
  if (admitting.remoteAsn !== instance.localASN) {
    const expected = admitting.remoteAsn === undefined ? 'no remote AS (bgpAsP missing)' : `remote AS ${admitting.remoteAsn}`;
    return down('open_sent', `${leaf} peer ${admitting.prefix} expects ${expected} but node ${node.name} opens with AS ${instance.localASN}`, anchor, 'idle');
  }
  if (rules.neverEstablish) return down('active', 'fault bgp.establish=never holds every session down', anchor, 'idle');
  if (rules.sessionsDown) return down('active', 'fault bgp.session=down: the established session dropped (hold timer expired)', anchor, 'idle');
  return { ...base, anchor, cilium: 'established', apic: 'established', reason: 'established' };
}

const apicRank: Record<ApicOperSt, number> = { idle: 0, connect: 1, active: 2, opensent: 3, openconfirm: 4, established: 5 };

/**
 * The neighbour entries one anchor shows under one configured peer prefix: every learned endpoint
 * inside the prefix (`idle` unless a session says more) plus every node whose session reached it.
 */
export function apicNeighbors(
  sessions: ReadonlyArray<Session>,
  peer: { podId: string; nodeId: string; prefix: string },
  candidates: ReadonlyArray<string>,
): Array<{ addr: string; operSt: ApicOperSt }> {
  const entries = new Map<string, ApicOperSt>();
  for (const ip of candidates) entries.set(ip, 'idle');
  for (const s of sessions) {
    const a = s.anchor;
    if (!a || !s.apic || !s.nodeIp || a.podId !== peer.podId || a.nodeId !== peer.nodeId || a.prefix !== peer.prefix) continue;
    const had = entries.get(s.nodeIp);
    if (had === undefined || apicRank[s.apic] > apicRank[had]) entries.set(s.nodeIp, s.apic);
  }
  return [...entries].map(([addr, operSt]) => ({ addr, operSt })).sort((a, b) => a.addr.localeCompare(b.addr, 'en', { numeric: true }));
}
