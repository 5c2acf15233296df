import type { Change, ChangeType } from '../spec/index.js';
import { bgpPeeringKind } from './bgp-peering/index.js';
import { ciliumConfigKind } from './cilium-config/index.js';
import { egressGatewayKind } from './egress-gateway/index.js';
import type { ChangeKind, ChangeKinds, ChangeOf } from './kind.js';
import { l2AnnouncementKind } from './l2-announcement/index.js';
import { loadBalancerPoolKind } from './load-balancer-pool/index.js';

// The one place that lists the change kinds. Order matters where results are listed per kind
// (prechecks, verify checks): the fabric-facing kinds first, as the design applies them.

export const changeKinds: ChangeKinds = {
  bgpPeering: bgpPeeringKind,
  loadBalancerPool: loadBalancerPoolKind,
  egressGateway: egressGatewayKind,
  l2Announcement: l2AnnouncementKind,
  ciliumConfig: ciliumConfigKind,
};

/** Every kind, in registry order. */
export const kindList: ReadonlyArray<ChangeKinds[keyof ChangeKinds]> = Object.values(changeKinds);

/** The kind of a change type. */
export function kindFor<T extends ChangeType>(type: T): ChangeKind<T> {
  return changeKinds[type];
}

/**
 * Calls `use` with a change and its kind, typed together (TypeScript does not correlate a union
 * of changes with the union of their kinds on its own).
 */
export function withKind<R>(change: Change, use: <T extends ChangeType>(kind: ChangeKind<T>, change: ChangeOf<T>) => R): R {
  return dispatch(change.type, change, use);
}

function dispatch<T extends ChangeType, R>(type: T, change: ChangeOf<T>, use: (kind: ChangeKind<T>, change: ChangeOf<T>) => R): R {
  return use(kindFor(type), change);
}
