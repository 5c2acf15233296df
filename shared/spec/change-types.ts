import * as z from '../zod.js';
import { BgpPeering } from '../kinds/bgp-peering/schema.js';
import { CiliumConfig } from '../kinds/cilium-config/schema.js';
import { EgressGateway } from '../kinds/egress-gateway/schema.js';
import { L2Announcement } from '../kinds/l2-announcement/schema.js';
import { LoadBalancerPool } from '../kinds/load-balancer-pool/schema.js';

// The five change types of ChangeSpec v1 (docs/architecture.md §3.1). Each kind's schema lives in its folder
// under shared/kinds/; this union joins them. Cross-field rules that need more than one change
// (overlaps across pools, one peering per spec) live in change-spec.ts.

export { Anchor, BgpPeering, BgpTimers } from '../kinds/bgp-peering/schema.js';
export { LoadBalancerPool } from '../kinds/load-balancer-pool/schema.js';
export { EgressGateway, EsgRef } from '../kinds/egress-gateway/schema.js';
export { L2Announcement } from '../kinds/l2-announcement/schema.js';
export { CiliumConfig } from '../kinds/cilium-config/schema.js';

export const Change = z.discriminatedUnion('type', [BgpPeering, LoadBalancerPool, EgressGateway, L2Announcement, CiliumConfig], {
  error: 'type must be one of bgpPeering, loadBalancerPool, egressGateway, l2Announcement, ciliumConfig',
});
export type Change = z.infer<typeof Change>;
export type ChangeType = Change['type'];
