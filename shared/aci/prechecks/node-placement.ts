import type { BgpPeering } from '../../spec/index.js';
import type { ArpAdjacencyFact, EndpointFact } from '../facts/aci-facts.js';
import type { AciRuleContext, Indexed, NodeAddress } from './context.js';

// Where each BGP node is cabled. The fabric's own word comes first: the endpoints it learned
// (fvCEp, nodes in an EPG) and, for nodes behind an L3Out SVI — which the fabric never learns as
// fvCEp with IPs — the ARP adjacencies of the leaves, on the port the node answered on. Only for
// a node the fabric reports neither way does the operator's declared cabling (bgpPeering.cabling)
// place it; a node with none of the three stays unplaced, so the rule answers unknown rather
// than guess. A node counts as attached to an anchor when any of its leaves (one, or both of a
// vPC pair) is an anchor.

export type PlacementSource = 'endpoint' | 'arp' | 'declared';

export interface PlacedNode extends NodeAddress {
  readonly leafIds: ReadonlyArray<number>;
  readonly source: PlacementSource;
}

export interface NodePlacement {
  readonly onAnchor: PlacedNode[];
  readonly offAnchor: PlacedNode[];
  /** Nodes nothing places: no fvCEp, no ARP adjacency on a local port, no declared cabling. */
  readonly unlearned: NodeAddress[];
}

export interface PlacementSources {
  readonly endpoints?: ReadonlyArray<EndpointFact>;
  readonly arp?: ReadonlyArray<ArpAdjacencyFact>;
  /** `tenant:vrf` whose ARP domain counts (the L3Out's); every domain when absent. */
  readonly arpDomain?: string;
  /** bgpPeering.cabling: leaf ids by node name. */
  readonly declared?: Readonly<Record<string, ReadonlyArray<number>>>;
}

/** What places the peering's nodes: the facts' endpoints and ARP in the L3Out's VRF, the spec's cabling. */
export function placementSources(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PlacementSources {
  const { endpoints, arpAdjacencies } = ctx.facts;
  return {
    ...(endpoints ? { endpoints } : {}),
    ...(arpAdjacencies ? { arp: arpAdjacencies, arpDomain: `${ctx.spec.aci.tenant}:${ctx.spec.aci.vrf}` } : {}),
    ...(peering.change.cabling ? { declared: peering.change.cabling } : {}),
  };
}

/** True when at least one source could place a node. */
export function hasPlacementSource(sources: PlacementSources): boolean {
  return sources.endpoints !== undefined || sources.arp !== undefined || (sources.declared !== undefined && Object.keys(sources.declared).length > 0);
}

// A host resolved across the fabric (through a tunnel, or with no port) is not local to that leaf.
const localPort = (physIfId: string | undefined) => physIfId !== undefined && /^(eth|po)/.test(physIfId);

const sortedUnique = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);

function fabricLeaves(node: NodeAddress, sources: PlacementSources): { leafIds: number[]; source: PlacementSource } | undefined {
  const learned = sortedUnique((sources.endpoints ?? []).filter((e) => e.ip === node.ip).flatMap((e) => e.leafIds));
  if (learned.length > 0) return { leafIds: learned, source: 'endpoint' };
  const arp = sortedUnique((sources.arp ?? [])
    .filter((a) => a.ip === node.ip && localPort(a.physIfId) && (sources.arpDomain === undefined || a.vrf === undefined || a.vrf === sources.arpDomain))
    .map((a) => a.nodeId));
  return arp.length > 0 ? { leafIds: arp, source: 'arp' } : undefined;
}

export function placeNodes(nodes: ReadonlyArray<NodeAddress>, sources: PlacementSources, anchorIds: ReadonlyArray<number>): NodePlacement {
  const placement: NodePlacement = { onAnchor: [], offAnchor: [], unlearned: [] };
  for (const node of nodes) {
    const declared = sources.declared?.[node.name];
    const found = fabricLeaves(node, sources) ?? (declared && declared.length > 0 ? { leafIds: sortedUnique([...declared]), source: 'declared' as const } : undefined);
    if (!found) placement.unlearned.push(node);
    else if (found.leafIds.some((id) => anchorIds.includes(id))) placement.onAnchor.push({ ...node, ...found });
    else placement.offAnchor.push({ ...node, ...found });
  }
  return placement;
}

const sourceText: Record<PlacementSource, string> = { endpoint: '', arp: ' (ARP)', declared: ' (declared cabling)' };

export function describeNode(node: PlacedNode): string {
  return `${node.name} (${node.ip}) on leaf ${node.leafIds.join('+')}${sourceText[node.source]}`;
}

/** Leaves hosting BGP nodes that are not anchors: the floating SVI's non-anchor nodes. */
export function nonAnchorLeaves(placement: NodePlacement, anchorIds: ReadonlyArray<number>): number[] {
  const leaves = [...placement.onAnchor, ...placement.offAnchor].flatMap((n) => n.leafIds);
  return [...new Set(leaves)].filter((id) => !anchorIds.includes(id)).sort((a, b) => a - b);
}
