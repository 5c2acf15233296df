import * as z from '../../zod.js';
import { ApicName, Cidr, HostAddress, KubeName, KubeNamespace, Labels, State } from '../../spec/fields.js';
import { contains, parseCidr } from '../../spec/addresses.js';

// egressGateway in ChangeSpec v1: a CiliumEgressGatewayPolicy whose egress IP the fabric
// classifies into an ESG.

export const EsgRef = z.strictObject({ applicationProfile: ApicName, name: ApicName });

export const EgressGateway = z.strictObject({
  type: z.literal('egressGateway'),
  state: State,
  name: KubeName,
  namespace: KubeNamespace,
  podSelector: Labels,
  destinationCidrs: z.array(Cidr).check(z.minLength(1, 'list at least one destination CIDR')),
  excludedCidrs: z.optional(z.array(Cidr)),
  egressIp: HostAddress,
  gatewayNodeSelector: Labels,
  esg: EsgRef,
});
export type EgressGateway = z.infer<typeof EgressGateway>;

/** Called by the ChangeSpec schema: an excluded CIDR outside every destination has no effect. */
export function checkEgressInSpec(change: EgressGateway, i: number, ctx: z.core.$RefinementCtx): void {
  const destinations = change.destinationCidrs;
  const excluded = change.excludedCidrs ?? [];
  const dest = destinations.map(parseCidr).filter((p): p is NonNullable<typeof p> => p !== undefined);
  excluded.forEach((text, j) => {
    const p = parseCidr(text);
    if (p && !dest.some((d) => d.length <= p.length && contains(d, p.address))) {
      ctx.addIssue({ code: 'custom', path: ['changes', i, 'excludedCidrs', j], message: `excluded CIDR ${text} only has effect inside one of the destination CIDRs` });
    }
  });
}
