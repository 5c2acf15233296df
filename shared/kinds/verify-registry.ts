import { bgpSessionsCheck } from './bgp-peering/verify.js';
import { ciliumConfigVerify } from './cilium-config/verify.js';
import { egressCheck } from './egress-gateway/verify.js';
import type { KindVerifications, VerifyPart } from './kind.js';
import { l2AnnouncementVerify } from './l2-announcement/verify.js';
import { poolsCheck } from './load-balancer-pool/verify.js';
import type { ChangeType } from '../spec/index.js';

// The one place that lists the kinds' verify checks, apart from registry.ts so that what imports
// the kinds (the planner, the plan and precheck Lambdas) does not carry checks only the agent's
// verify command runs. Each kind's checks stay in its folder's verify.ts.

export const kindVerifications: KindVerifications = {
  bgpPeering: { checks: [bgpSessionsCheck] },
  loadBalancerPool: { checks: [poolsCheck] },
  egressGateway: { checks: [egressCheck] },
  l2Announcement: l2AnnouncementVerify,
  ciliumConfig: ciliumConfigVerify,
};

/** The verify checks of a change type, or why it has none yet. */
export function verifyPartOf(type: ChangeType): VerifyPart {
  return kindVerifications[type];
}
