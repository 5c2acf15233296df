import type { BgpSessionsCheck } from '../kind.js';

// bgpPeering is verified by its sessions on both sides: the agent polls the fabric's
// bgpPeerEntry (verify-fabric.ts) and the CiliumBGPNodeConfig status (verify-cluster.ts) until
// every selected node is established with every anchor, or the spec's timeout passes.

export const bgpSessionsCheck: BgpSessionsCheck = { type: 'bgp-sessions', id: 'bgp-sessions', when: 'present' };
