import * as z from 'zod';
import { ApicName, Asn, TargetName } from './fields.js';
import { Change } from './change-types.js';
import { broadcastOf, contains, overlaps, parseCidr, parseInterfaceAddress, type Prefix } from './addresses.js';

// ChangeSpec v1 (DESIGN.md §3.1). This schema is the truth: the CLI's `validate`, the webhook
// intake and the workflow's first step all parse with it.

export const Target = z.strictObject({ site: TargetName, fabric: TargetName, cluster: TargetName });
export type Target = z.infer<typeof Target>;

export const AciContext = z.strictObject({
  tenant: ApicName,
  vrf: ApicName,
  l3out: ApicName,
  physDomain: ApicName,
  fabricAsn: Asn,
});
export type AciContext = z.infer<typeof AciContext>;

export const Verify = z.strictObject({
  connectivityTest: z
    .strictObject({
      enabled: z.boolean().default(true),
      tests: z.array(z.string().min(1)).default([]),
      timeoutSeconds: z.number().int().min(60, 'give the connectivity test at least 60 s').max(21600, 'at most 6 h').default(1800),
    })
    .prefault({}),
  bgpEstablishedTimeoutSeconds: z.number().int().min(10).max(3600).default(300),
});
export type Verify = z.infer<typeof Verify>;

export const ChangeSpec = z
  .strictObject({
    apiVersion: z.literal('changeflow/v1', { error: 'apiVersion must be changeflow/v1' }),
    kind: z.literal('ChangeSpec', { error: 'kind must be ChangeSpec' }),
    target: Target,
    aci: AciContext,
    changes: z.array(Change).min(1, 'list at least one change'),
    verify: Verify.prefault({}),
    mode: z.enum(['apply', 'plan-only'], { error: 'mode must be apply or plan-only' }).default('apply'),
  })
  .superRefine(checkAcrossFields);
export type ChangeSpec = z.infer<typeof ChangeSpec>;

type Ctx = z.RefinementCtx;

function checkAcrossFields(spec: { changes: Change[]; aci: AciContext }, ctx: Ctx): void {
  checkOnePerSpec(spec.changes, ctx);
  checkUniqueNames(spec.changes, ctx);
  checkPoolOverlaps(spec.changes, ctx);
  spec.changes.forEach((change, i) => {
    if (change.type === 'bgpPeering') checkPeering(change, i, spec.aci.fabricAsn, ctx);
    if (change.type === 'egressGateway') checkExcluded(change.destinationCidrs, change.excludedCidrs ?? [], i, ctx);
    if (change.type === 'l2Announcement' && !change.loadBalancerIPs && !change.externalIPs) {
      ctx.addIssue({ code: 'custom', path: ['changes', i, 'loadBalancerIPs'], message: 'announce loadBalancerIPs, externalIPs or both' });
    }
  });
}

function checkOnePerSpec(changes: Change[], ctx: Ctx): void {
  for (const type of ['bgpPeering', 'ciliumConfig'] as const) {
    const seen = changes.map((c, i) => [c, i] as const).filter(([c]) => c.type === type);
    for (const [, i] of seen.slice(1)) {
      ctx.addIssue({ code: 'custom', path: ['changes', i, 'type'], message: `only one ${type} change per spec; merge it with changes[${seen[0]?.[1]}]` });
    }
  }
}

function checkUniqueNames(changes: Change[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  changes.forEach((c, i) => {
    if (!('name' in c)) return;
    const key = `${c.type}/${c.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['changes', i, 'name'], message: `${c.type} "${c.name}" is already defined in changes[${first}]` });
    } else seen.set(key, i);
  });
}

function checkPoolOverlaps(changes: Change[], ctx: Ctx): void {
  const blocks: Array<{ prefix: Prefix; text: string; where: string }> = [];
  changes.forEach((c, i) => {
    if (c.type !== 'loadBalancerPool') return;
    c.blocks.forEach((text, j) => {
      const prefix = parseCidr(text);
      if (!prefix) return; // already reported by the field schema
      const clash = blocks.find((b) => overlaps(b.prefix, prefix));
      if (clash) {
        ctx.addIssue({
          code: 'custom',
          path: ['changes', i, 'blocks', j],
          message: `block ${text} overlaps ${clash.text} in ${clash.where}; LB-IPAM would mark both pools as conflicting`,
        });
      }
      blocks.push({ prefix, text, where: `changes[${i}].blocks[${j}]` });
    });
  });
}

function checkPeering(change: Extract<Change, { type: 'bgpPeering' }>, i: number, fabricAsn: number, ctx: Ctx): void {
  const at = (...rest: Array<string | number>) => ['changes', i, ...rest];
  if (change.clusterAsn === fabricAsn) {
    ctx.addIssue({ code: 'custom', path: at('clusterAsn'), message: `the design peers over eBGP: clusterAsn must differ from the fabric AS ${fabricAsn}` });
  }
  const subnet = parseCidr(change.peeringSubnet);
  const used = new Map<string, string>();
  const checkAddress = (text: string, path: Array<string | number>, what: string) => {
    const a = parseInterfaceAddress(text);
    if (!a || !subnet) return;
    const host = a.address.toString();
    if (!contains(subnet, a.address) || a.length !== subnet.length) {
      ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${text} must be inside the peering subnet ${change.peeringSubnet} with the same mask /${subnet.length}` });
    } else if (host === subnet.network) {
      ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${text} is the network address of ${change.peeringSubnet}; pick a host address` });
    } else if (host === broadcastOf(subnet)) {
      ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${text} is the broadcast address of ${change.peeringSubnet}; pick a host address` });
    }
    const other = used.get(host);
    if (other) ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${host} is already used by ${other}` });
    used.set(host, what);
  };
  checkAddress(change.floatingIp, ['floatingIp'], 'the floating IP');
  const nodeIds = new Map<number, number>();
  const routerIds = new Map<string, number>();
  change.anchors.forEach((anchor, j) => {
    checkAddress(anchor.address, ['anchors', j, 'address'], `anchor ${anchor.nodeId}'s address`);
    const dupNode = nodeIds.get(anchor.nodeId);
    if (dupNode !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('anchors', j, 'nodeId'), message: `leaf ${anchor.nodeId} is listed twice (also anchors[${dupNode}])` });
    } else nodeIds.set(anchor.nodeId, j);
    const dupRouter = routerIds.get(anchor.routerId);
    if (dupRouter !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('anchors', j, 'routerId'), message: `router id ${anchor.routerId} is already used by anchors[${dupRouter}]; each leaf needs its own` });
    } else routerIds.set(anchor.routerId, j);
  });
}

function checkExcluded(destinations: string[], excluded: string[], i: number, ctx: Ctx): void {
  const dest = destinations.map(parseCidr).filter((p): p is NonNullable<typeof p> => p !== undefined);
  excluded.forEach((text, j) => {
    const p = parseCidr(text);
    if (p && !dest.some((d) => d.length <= p.length && contains(d, p.address))) {
      ctx.addIssue({ code: 'custom', path: ['changes', i, 'excludedCidrs', j], message: `excluded CIDR ${text} only has effect inside one of the destination CIDRs` });
    }
  });
}
