import * as z from 'zod';
import {
  ApicName,
  Asn,
  Cidr,
  HostAddress,
  InterfaceAddress,
  Ipv4Address,
  KubeName,
  KubeNamespace,
  Labels,
  State,
  Vlan,
} from './fields.js';
import { configSettingProblem } from './cilium-config-keys.js';

// The five change types of ChangeSpec v1 (DESIGN.md §3.1). Cross-field rules that need more than
// one field (addresses inside the peering subnet, overlaps across pools) live in change-spec.ts.

export const Anchor = z.strictObject({
  nodeId: z.number().int().min(101, 'leaf node ids run from 101 to 4000').max(4000, 'leaf node ids run from 101 to 4000'),
  pod: z.number().int().min(1, 'pod ids start at 1').max(255, 'pod ids end at 255').default(1),
  routerId: Ipv4Address,
  address: InterfaceAddress,
});
export type Anchor = z.infer<typeof Anchor>;

export const BgpTimers = z
  .strictObject({
    holdTimeSeconds: z.number().int().min(3).max(65535).default(90),
    keepAliveTimeSeconds: z.number().int().min(1).max(65535).default(30),
    connectRetryTimeSeconds: z.number().int().min(1).max(2147483647).default(120),
  })
  .superRefine((t, ctx) => {
    // Values in the message: one of the two may be a default the author never wrote.
    if (t.keepAliveTimeSeconds > t.holdTimeSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['keepAliveTimeSeconds'],
        message: `keepAliveTimeSeconds ${t.keepAliveTimeSeconds} exceeds holdTimeSeconds ${t.holdTimeSeconds}; set it to about a third of the hold time`,
      });
    }
  });

export const BgpPeering = z.strictObject({
  type: z.literal('bgpPeering'),
  state: State,
  clusterAsn: Asn,
  peeringSubnet: Cidr,
  vlan: Vlan,
  floatingIp: InterfaceAddress,
  anchors: z
    .array(Anchor)
    .min(1, 'a floating SVI needs at least one anchor leaf')
    .max(6, 'ACI supports at most 6 anchor leaves per floating L3Out'),
  nodeSelector: Labels,
  bfd: z.boolean().default(false),
  gracefulRestart: z.boolean().default(true),
  timers: BgpTimers.optional(),
});
export type BgpPeering = z.infer<typeof BgpPeering>;

export const LoadBalancerPool = z.strictObject({
  type: z.literal('loadBalancerPool'),
  state: State,
  name: KubeName,
  blocks: z.array(Cidr).min(1, 'a pool needs at least one block'),
  serviceSelector: Labels,
  externalEpg: ApicName,
  allowFirstLastIPs: z.boolean().optional(),
});
export type LoadBalancerPool = z.infer<typeof LoadBalancerPool>;

export const EsgRef = z.strictObject({ applicationProfile: ApicName, name: ApicName });

export const EgressGateway = z.strictObject({
  type: z.literal('egressGateway'),
  state: State,
  name: KubeName,
  namespace: KubeNamespace,
  podSelector: Labels,
  destinationCidrs: z.array(Cidr).min(1, 'list at least one destination CIDR'),
  excludedCidrs: z.array(Cidr).optional(),
  egressIp: HostAddress,
  gatewayNodeSelector: Labels,
  esg: EsgRef,
});
export type EgressGateway = z.infer<typeof EgressGateway>;

const Regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression (e.g. ^eth[0-9]+)' },
);

export const L2Announcement = z.strictObject({
  type: z.literal('l2Announcement'),
  state: State,
  name: KubeName,
  serviceSelector: Labels,
  nodeSelector: Labels,
  interfaces: z.array(Regex).default([]),
  loadBalancerIPs: z.boolean().default(true),
  externalIPs: z.boolean().default(false),
});
export type L2Announcement = z.infer<typeof L2Announcement>;

export const CiliumConfig = z.strictObject({
  type: z.literal('ciliumConfig'),
  state: z.literal('present', { error: 'ciliumConfig has no absent state: set the previous values instead' }).default('present'),
  settings: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
    .superRefine((settings, ctx) => {
      if (Object.keys(settings).length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one setting' });
      for (const [key, value] of Object.entries(settings)) {
        const problem = configSettingProblem(key, value);
        if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
      }
    }),
  restart: z.enum(['rolling', 'none']).default('rolling'),
});
export type CiliumConfig = z.infer<typeof CiliumConfig>;

export const Change = z.discriminatedUnion('type', [BgpPeering, LoadBalancerPool, EgressGateway, L2Announcement, CiliumConfig], {
  error: 'type must be one of bgpPeering, loadBalancerPool, egressGateway, l2Announcement, ciliumConfig',
});
export type Change = z.infer<typeof Change>;
export type ChangeType = Change['type'];
