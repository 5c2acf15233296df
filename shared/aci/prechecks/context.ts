import * as z from '../../zod.js';
import type { BgpPeering, ChangeSpec, EgressGateway, LoadBalancerPool } from '../../spec/index.js';
import type { AciFacts } from '../facts/aci-facts.js';
import { defaultPolicyCamHeadroomPct } from './limits.js';

// What every ACI rule reads: the spec's present fabric-touching changes, the facts, and the
// cluster-side inputs the fabric cannot know (node addresses come from the cluster facts).

export const NodeAddress = z.strictObject({ name: z.string(), ip: z.string() });
export type NodeAddress = z.infer<typeof NodeAddress>;

export const AciPrecheckOptions = z.strictObject({
  /** Policy-CAM share (percent) that must stay free on the leaves the change programs. */
  policyCamHeadroomPct: z.optional(z.number().check(z.gte(0), z.lte(100))),
  /** The cluster nodes the bgpPeering nodeSelector selects, with their peering IPs. */
  nodeAddresses: z.optional(z.array(NodeAddress)),
});
export type AciPrecheckOptions = z.infer<typeof AciPrecheckOptions>;

export interface Indexed<T> {
  readonly change: T;
  readonly index: number;
}

export interface AciRuleContext {
  readonly spec: ChangeSpec;
  readonly facts: AciFacts;
  readonly peering?: Indexed<BgpPeering>;
  readonly pools: ReadonlyArray<Indexed<LoadBalancerPool>>;
  readonly egress: ReadonlyArray<Indexed<EgressGateway>>;
  readonly nodeAddresses?: ReadonlyArray<NodeAddress>;
  readonly headroomPct: number;
}

export function ruleContext(spec: ChangeSpec, facts: AciFacts, opts: AciPrecheckOptions): AciRuleContext {
  const present = spec.changes.map((change, index) => ({ change, index })).filter((c) => c.change.state === 'present');
  const peering = present.find((c): c is Indexed<BgpPeering> => c.change.type === 'bgpPeering');
  return {
    spec,
    facts,
    ...(peering ? { peering } : {}),
    pools: present.filter((c): c is Indexed<LoadBalancerPool> => c.change.type === 'loadBalancerPool'),
    egress: present.filter((c): c is Indexed<EgressGateway> => c.change.type === 'egressGateway'),
    ...(opts.nodeAddresses ? { nodeAddresses: opts.nodeAddresses } : {}),
    headroomPct: opts.policyCamHeadroomPct ?? defaultPolicyCamHeadroomPct,
  };
}
