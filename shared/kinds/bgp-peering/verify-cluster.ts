import * as z from '../../zod.js';
import type { ChangeSpec } from '../../spec/index.js';
import { parseInterfaceAddress } from '../../spec/addresses.js';
import { flattenKubeObjects, objectsOfKind } from '../../cilium/facts/kube-lists.js';
import { selectorMatches } from '../../cilium/label-selector.js';
import type { BgpPeerRow } from '../../cilium/parsers/bgp-peer.js';

// Verify step for bgpPeering (reference/cilium.md §1, verification recipe): every selected node
// has a CiliumBGPNodeConfig whose status shows each anchor as an established peer, and no
// cilium.io/BGPReconcileError condition is True.

const NodeConfig = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  status: z.optional(z.looseObject({
    bgpInstances: z.nullish(z.array(z.looseObject({
      name: z.optional(z.string()),
      peers: z.nullish(z.array(z.looseObject({ name: z.optional(z.string()), peerAddress: z.optional(z.string()), peeringState: z.optional(z.string()) }))),
    }))),
    conditions: z.nullish(z.array(z.looseObject({ type: z.string(), status: z.string(), message: z.optional(z.string()) }))),
  })),
});

const Node = z.looseObject({ metadata: z.looseObject({ name: z.string(), labels: z.optional(z.record(z.string(), z.string())) }) });

export const BgpSession = z.object({ node: z.string(), peer: z.string(), state: z.string() });
export type BgpSession = z.infer<typeof BgpSession>;

export const ClusterBgpVerdict = z.object({
  established: z.boolean(),
  sessions: z.array(BgpSession),
  notEstablished: z.array(BgpSession),
  /** Sentences naming what is missing: a node without CiliumBGPNodeConfig, a peer without status. */
  missing: z.array(z.string()),
  reconcileErrors: z.array(z.object({ node: z.string(), message: z.string() })),
});
export type ClusterBgpVerdict = z.infer<typeof ClusterBgpVerdict>;

export function evaluateClusterBgp(spec: ChangeSpec, bgpNodeConfigs: unknown[], nodes?: unknown[]): ClusterBgpVerdict {
  const peering = spec.changes.find((c) => c.type === 'bgpPeering' && c.state === 'present');
  const empty: ClusterBgpVerdict = { established: true, sessions: [], notEstablished: [], missing: [], reconcileErrors: [] };
  if (peering?.type !== 'bgpPeering') return empty;
  const anchors = peering.anchors.map((a) => parseInterfaceAddress(a.address)?.address.toString() ?? a.address);
  const configs = objectsOfKind(bgpNodeConfigs, 'CiliumBGPNodeConfig', NodeConfig);
  const selected = nodes
    ? flattenKubeObjects(nodes).objects.flatMap((o) => {
      const n = Node.safeParse(o);
      return n.success && selectorMatches({ matchLabels: peering.nodeSelector }, n.data.metadata.labels ?? {}) ? [n.data.metadata.name] : [];
    })
    : configs.map((c) => c.metadata.name);
  const out: ClusterBgpVerdict = { ...empty, sessions: [], notEstablished: [], missing: [], reconcileErrors: [] };
  if (selected.length === 0) out.missing.push('no node is selected for BGP (no CiliumBGPNodeConfig and no node matching the nodeSelector)');
  for (const node of [...selected].sort()) {
    const config = configs.find((c) => c.metadata.name === node);
    if (!config) {
      out.missing.push(`node ${node}: no CiliumBGPNodeConfig (the operator has not picked up the CiliumBGPClusterConfig for it)`);
      continue;
    }
    for (const c of config.status?.conditions ?? []) {
      if (c.type === 'cilium.io/BGPReconcileError' && c.status === 'True') out.reconcileErrors.push({ node, message: c.message ?? '' });
    }
    const peers = (config.status?.bgpInstances ?? []).flatMap((i) => i.peers ?? []);
    for (const anchor of anchors) {
      const peer = peers.find((p) => p.peerAddress?.split('%')[0] === anchor);
      if (!peer) {
        out.missing.push(`node ${node}: no status for peer ${anchor} (status reporting off, or not reconciled yet)`);
        continue;
      }
      const session = { node, peer: anchor, state: peer.peeringState ?? 'unknown' };
      out.sessions.push(session);
      if (session.state !== 'established') out.notEstablished.push(session);
    }
  }
  out.established = out.sessions.length > 0 && out.notEstablished.length === 0 && out.missing.length === 0 && out.reconcileErrors.length === 0;
  return out;
}

/**
 * The same verdict from `cilium bgp peers -o json` (parsed by shared/cilium/parsers), for the
 * releases whose CiliumBGPNodeConfig has no status (verify.ts, clusterSessionSource).
 */
export function evaluateBgpPeersRows(spec: ChangeSpec, rows: readonly BgpPeerRow[], nodes: unknown[]): ClusterBgpVerdict {
  const peering = spec.changes.find((c) => c.type === 'bgpPeering' && c.state === 'present');
  const out: ClusterBgpVerdict = { established: true, sessions: [], notEstablished: [], missing: [], reconcileErrors: [] };
  if (peering?.type !== 'bgpPeering') return out;
  const anchors = peering.anchors.map((a) => parseInterfaceAddress(a.address)?.address.toString() ?? a.address);
  const selected = flattenKubeObjects(nodes).objects.flatMap((o) => {
    const n = Node.safeParse(o);
    return n.success && selectorMatches({ matchLabels: peering.nodeSelector }, n.data.metadata.labels ?? {}) ? [n.data.metadata.name] : [];
  });
  if (selected.length === 0) out.missing.push('no node matches the BGP nodeSelector');
  for (const node of [...selected].sort()) {
    for (const anchor of anchors) {
      const row = rows.find((r) => r.node === node && r.peerAddress.split('%')[0] === anchor);
      if (!row) {
        out.missing.push(`node ${node}: cilium bgp peers lists no session with ${anchor}`);
        continue;
      }
      const session = { node, peer: anchor, state: row.state };
      out.sessions.push(session);
      if (row.state !== 'established') out.notEstablished.push(session);
    }
  }
  out.established = out.sessions.length > 0 && out.notEstablished.length === 0 && out.missing.length === 0;
  return out;
}
