import { isAtLeast } from '../../cilium/version.js';
import type { BgpSessionsCheck } from '../kind.js';

// bgpPeering is verified by its sessions on both sides: the agent polls the fabric's
// bgpPeerEntry (verify-fabric.ts) and the cluster's view of the sessions (verify-cluster.ts)
// until every selected node is established with every anchor, or the spec's timeout passes.

export const bgpSessionsCheck: BgpSessionsCheck = { type: 'bgp-sessions', id: 'bgp-sessions', when: 'present' };

/**
 * CiliumBGPNodeConfig carries peer status only from Cilium 1.16.2 (the BGP control plane's
 * status reporting, backported to v1.16.2; `enable-bgp-control-plane-status-report` to turn it
 * off arrived in 1.17): on 1.16.0 and 1.16.1 its status stays empty, so the cluster side is read
 * from each agent with `cilium bgp peers` instead.
 */
export const nodeConfigStatusSince = '1.16.2';

export type ClusterSessionSource = 'node-config-status' | 'cilium-bgp-peers';

/** Where the verify step reads the cluster's BGP sessions on `version`, and why (for the evidence). */
export function clusterSessionSource(version: string | undefined): { readonly source: ClusterSessionSource; readonly why: string } {
  if (version && isAtLeast(version, '1.16') && !isAtLeast(version, nodeConfigStatusSince)) {
    return { source: 'cilium-bgp-peers', why: `read with cilium bgp peers: Cilium ${version} writes no CiliumBGPNodeConfig status (that starts with ${nodeConfigStatusSince})` };
  }
  return { source: 'node-config-status', why: version ? `read from CiliumBGPNodeConfig status (Cilium ${version})` : 'read from CiliumBGPNodeConfig status' };
}
