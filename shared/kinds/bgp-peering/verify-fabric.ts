import type { ChangeSpec } from '../../spec/index.js';
import type { BgpPeerEntryFact } from '../../aci/facts/aci-facts.js';
import type { NodeAddress } from '../../aci/prechecks/context.js';

// The fabric side of "BGP sessions established" (docs/architecture.md §2 step 9): every BGP node should have
// an established session on every anchor, in the spec's VRF. Strings read `node@leaf`.

export interface AciBgpVerdict {
  readonly established: string[];
  readonly missing: string[];
  readonly notEstablished: Array<{ node: string; addr: string; operSt: string; anchor: number }>;
}

export function evaluateAciBgp(spec: ChangeSpec, bgpPeerEntries: ReadonlyArray<BgpPeerEntryFact>, nodeAddresses: ReadonlyArray<NodeAddress>): AciBgpVerdict {
  const verdict: AciBgpVerdict = { established: [], missing: [], notEstablished: [] };
  const peering = spec.changes.find((c) => c.type === 'bgpPeering' && c.state === 'present');
  if (peering?.type !== 'bgpPeering') return verdict;
  const vrf = `${spec.aci.tenant}:${spec.aci.vrf}`;
  for (const node of nodeAddresses) {
    for (const anchor of peering.anchors) {
      const entry = bgpPeerEntries.find((e) => e.nodeId === anchor.nodeId && e.addr === node.ip && (e.vrf === undefined || e.vrf === vrf));
      const key = `${node.name}@${anchor.nodeId}`;
      if (!entry) verdict.missing.push(key);
      else if (entry.operSt === 'established') verdict.established.push(key);
      else verdict.notEstablished.push({ node: node.name, addr: node.ip, operSt: entry.operSt, anchor: anchor.nodeId });
    }
  }
  return verdict;
}
