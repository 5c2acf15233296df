import * as z from '../../zod.js';
import { ApicName, Cidr, KubeName, Labels, State } from '../../spec/fields.js';

// loadBalancerPool in ChangeSpec v1: an LB-IPAM pool, classified on an external EPG of the L3Out.
// Overlaps between pools of one spec are checked by the ChangeSpec schema (across changes).

export const LoadBalancerPool = z.strictObject({
  type: z.literal('loadBalancerPool'),
  state: State,
  name: KubeName,
  blocks: z.array(Cidr).check(z.minLength(1, 'a pool needs at least one block')),
  serviceSelector: Labels,
  externalEpg: ApicName,
  allowFirstLastIPs: z.optional(z.boolean()),
});
export type LoadBalancerPool = z.infer<typeof LoadBalancerPool>;
