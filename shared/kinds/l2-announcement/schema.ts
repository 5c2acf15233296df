import * as z from '../../zod.js';
import { KubeName, Labels, State } from '../../spec/fields.js';

// l2Announcement in ChangeSpec v1: a CiliumL2AnnouncementPolicy (ARP/NDP answers for service IPs).

const Regex = z.string().check(z.refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, { message: 'not a valid regular expression (e.g. ^eth[0-9]+)' }));

export const L2Announcement = z.strictObject({
  type: z.literal('l2Announcement'),
  state: State,
  name: KubeName,
  serviceSelector: Labels,
  nodeSelector: Labels,
  interfaces: z._default(z.array(Regex), []),
  loadBalancerIPs: z._default(z.boolean(), true),
  externalIPs: z._default(z.boolean(), false),
});
export type L2Announcement = z.infer<typeof L2Announcement>;

/** Called by the ChangeSpec schema: a policy that announces nothing is a mistake. */
export function checkL2InSpec(change: L2Announcement, i: number, ctx: z.core.$RefinementCtx): void {
  if (!change.loadBalancerIPs && !change.externalIPs) {
    ctx.addIssue({ code: 'custom', path: ['changes', i, 'loadBalancerIPs'], message: 'announce loadBalancerIPs, externalIPs or both' });
  }
}
