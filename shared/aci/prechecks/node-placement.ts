import type { EndpointFact } from '../facts/aci-facts.js';
import type { NodeAddress } from './context.js';

// Where each BGP node is cabled, from the endpoints the fabric learned: a node counts as attached
// to an anchor when any leaf it was learned on (one, or both of a vPC pair) is an anchor.

export interface PlacedNode extends NodeAddress {
  readonly leafIds: ReadonlyArray<number>;
}

export interface NodePlacement {
  readonly onAnchor: PlacedNode[];
  readonly offAnchor: PlacedNode[];
  /** Nodes the fabric has not learned (no fvCEp for their IP). */
  readonly unlearned: NodeAddress[];
}

export function placeNodes(nodes: ReadonlyArray<NodeAddress>, endpoints: ReadonlyArray<EndpointFact>, anchorIds: ReadonlyArray<number>): NodePlacement {
  const placement: NodePlacement = { onAnchor: [], offAnchor: [], unlearned: [] };
  for (const node of nodes) {
    const leafIds = [...new Set(endpoints.filter((e) => e.ip === node.ip).flatMap((e) => e.leafIds))].sort((a, b) => a - b);
    if (leafIds.length === 0) placement.unlearned.push(node);
    else if (leafIds.some((id) => anchorIds.includes(id))) placement.onAnchor.push({ ...node, leafIds });
    else placement.offAnchor.push({ ...node, leafIds });
  }
  return placement;
}

export function describeNode(node: PlacedNode): string {
  return `${node.name} (${node.ip}) on leaf ${node.leafIds.join('+')}`;
}

/** Leaves hosting BGP nodes that are not anchors: the floating SVI's non-anchor nodes. */
export function nonAnchorLeaves(placement: NodePlacement, anchorIds: ReadonlyArray<number>): number[] {
  const leaves = [...placement.onAnchor, ...placement.offAnchor].flatMap((n) => n.leafIds);
  return [...new Set(leaves)].filter((id) => !anchorIds.includes(id)).sort((a, b) => a - b);
}
