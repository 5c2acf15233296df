import type { Change, ChangeType } from '../spec/index.js';
import { describeBgpPeering } from './bgp-peering/summary.js';
import { describeCiliumConfig } from './cilium-config/summary.js';
import { describeEgressGateway } from './egress-gateway/summary.js';
import type { ChangeOf } from './kind.js';
import { describeL2Announcement } from './l2-announcement/summary.js';
import { describeLoadBalancerPool } from './load-balancer-pool/summary.js';

// One line per change, as `changeflow validate` prints it and a ticket work note can quote it:
// enough for a reviewer to recognise the change without reading the YAML. Each kind words its own.
// Only the summaries, not the whole registry: the validate step's bundle carries no planner.

type Describers = { readonly [T in ChangeType]: (change: ChangeOf<T>, fabricAsn: number) => string };

export const describers: Describers = {
  bgpPeering: describeBgpPeering,
  loadBalancerPool: describeLoadBalancerPool,
  egressGateway: describeEgressGateway,
  l2Announcement: describeL2Announcement,
  ciliumConfig: describeCiliumConfig,
};

function describeOf<T extends ChangeType>(type: T, change: ChangeOf<T>, fabricAsn: number): string {
  return describers[type](change, fabricAsn);
}

/** The change without its type: `pool-red 10.0.10.0/24 → ext-EPG default_svc`. */
export function describeChange(change: Change, fabricAsn: number): string {
  return describeOf(change.type, change as ChangeOf<typeof change.type>, fabricAsn);
}

/** `bgpPeering  AS 64512 ↔ fabric AS 65001 via 192.168.2.0/24 vlan-300, anchors 101,102`, `(absent)` marked. */
export function summarizeChange(change: Change, fabricAsn: number): string {
  const absent = change.state === 'absent' ? ' (absent)' : '';
  return `${change.type.padEnd(16)} ${describeChange(change, fabricAsn)}${absent}`;
}
