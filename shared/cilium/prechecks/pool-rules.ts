import * as z from '../../zod.js';
import type { PoolBlock } from '../ip-ranges.js';
import { LabelSelector } from '../label-selector.js';

// Existing LB-IPAM pools as the loadBalancerPool and l2Announcement rules read them: their blocks,
// selector and flags, from any release's spec (pre-1.16 pools may still carry `cidrs`). ACI learns
// at most 4096 IPs per MAC (reference/aci.md, capacity).

export const aciIpsPerMac = 4096;

const PoolSpec = z.looseObject({
  blocks: z.optional(z.array(z.looseObject({ cidr: z.optional(z.string()), start: z.optional(z.string()), stop: z.optional(z.string()) }))),
  // Pre-1.16 pools may still carry the removed `cidrs` field.
  cidrs: z.optional(z.array(z.looseObject({ cidr: z.optional(z.string()) }))),
  serviceSelector: z.optional(LabelSelector),
  allowFirstLastIPs: z.optional(z.string()),
  disabled: z.optional(z.boolean()),
});

export interface PoolView {
  readonly name: string;
  readonly blocks: PoolBlock[];
  readonly selector?: LabelSelector;
  readonly allowFirstLast: boolean;
  readonly disabled: boolean;
  readonly changeflow: boolean;
}

export function poolView(object: { metadata: { name: string }; spec?: unknown }, changeflow: boolean): PoolView {
  const spec = PoolSpec.safeParse(object.spec ?? {});
  const s = spec.success ? spec.data : {};
  return {
    name: object.metadata.name,
    blocks: [...(s.blocks ?? []), ...(s.cidrs ?? [])],
    ...(s.serviceSelector ? { selector: s.serviceSelector } : {}),
    allowFirstLast: s.allowFirstLastIPs !== 'No',
    disabled: s.disabled === true,
    changeflow,
  };
}
