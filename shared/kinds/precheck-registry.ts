import { ciliumConfigAci } from './cilium-config/aci.js';
import { ciliumConfigClusterPrechecks } from './cilium-config/prechecks.js';
import { bgpPeeringAciPrechecks, bgpPeeringClusterPrechecks } from './bgp-peering/prechecks.js';
import { egressGatewayAciPrechecks, egressGatewayClusterPrechecks } from './egress-gateway/prechecks.js';
import type { KindPrecheckPart, KindPrechecks } from './kind.js';
import { l2AnnouncementAci } from './l2-announcement/aci.js';
import { l2AnnouncementClusterPrechecks } from './l2-announcement/prechecks.js';
import { loadBalancerPoolAciPrechecks, loadBalancerPoolClusterPrechecks } from './load-balancer-pool/prechecks.js';

// The one place that lists the kinds' prechecks, apart from registry.ts so that what imports the
// kinds to plan (the plan Lambda, which takes the precheck step's stored results) does not carry
// rules only the precheck step runs. Each kind's rules stay in its folder's prechecks.ts; a kind
// that touches no fabric has no ACI rules and says why (its aci.ts). Listed in registry order:
// the runners keep it when they list results per kind.

export const kindPrechecks: KindPrechecks = {
  bgpPeering: { aci: bgpPeeringAciPrechecks, cluster: bgpPeeringClusterPrechecks },
  loadBalancerPool: { aci: loadBalancerPoolAciPrechecks, cluster: loadBalancerPoolClusterPrechecks },
  egressGateway: { aci: egressGatewayAciPrechecks, cluster: egressGatewayClusterPrechecks },
  l2Announcement: { aci: l2AnnouncementAci, cluster: l2AnnouncementClusterPrechecks },
  ciliumConfig: { aci: ciliumConfigAci, cluster: ciliumConfigClusterPrechecks },
};

/** Every kind's prechecks, in registry order. */
export const precheckList: readonly KindPrecheckPart[] = Object.values(kindPrechecks);
