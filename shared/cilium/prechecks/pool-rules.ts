import * as z from 'zod';
import type { PrecheckResult } from '../../plan/index.js';
import { rangeOfBlock, rangesOverlap, usableAddresses, type PoolBlock } from '../ip-ranges.js';
import { describeSelector, LabelSelector, selectorsCanOverlap } from '../label-selector.js';
import { isManagedByChangeflow } from '../plan/field-owners.js';
import { changesOf, fail, list, objectsOfKind, pass, unknown, type Rule } from './rule-kit.js';

// LB-IPAM pools: overlapping blocks make LB-IPAM mark both pools as conflicting (no allocations
// from either), and an L2 announcement answers ARP for every IP of the pools it covers from one
// node's MAC — ACI learns at most 4096 IPs per MAC (reference/aci.md, capacity).

export const aciIpsPerMac = 4096;

const PoolSpec = z.looseObject({
  blocks: z.array(z.looseObject({ cidr: z.string().optional(), start: z.string().optional(), stop: z.string().optional() })).optional(),
  // Pre-1.16 pools may still carry the removed `cidrs` field.
  cidrs: z.array(z.looseObject({ cidr: z.string().optional() })).optional(),
  serviceSelector: LabelSelector.optional(),
  allowFirstLastIPs: z.string().optional(),
  disabled: z.boolean().optional(),
});

interface PoolView {
  readonly name: string;
  readonly blocks: PoolBlock[];
  readonly selector?: LabelSelector;
  readonly allowFirstLast: boolean;
  readonly disabled: boolean;
  readonly changeflow: boolean;
}

function poolView(object: { metadata: { name: string }; spec?: unknown }, changeflow: boolean): PoolView {
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

export const poolOverlapRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'loadBalancerPool').map(({ change, index }) => {
    const f = { id: 'cluster.pool.overlap', title: 'The pool overlaps no other LB-IPAM pool', change: index };
    const pools = objectsOfKind(facts, 'CiliumLoadBalancerIPPool');
    if (!pools) return unknown(f, 'the existing CiliumLoadBalancerIPPools (not listed)');
    const others = pools.filter((p) => p.metadata.name !== change.name).map((p) => poolView(p, isManagedByChangeflow(p)));
    const clashes: string[] = [];
    for (const cidr of change.blocks) {
      const mine = rangeOfBlock({ cidr });
      if (!mine) continue;
      for (const other of others) {
        for (const block of other.blocks) {
          const theirs = rangeOfBlock(block);
          if (theirs && rangesOverlap(mine, theirs)) {
            clashes.push(`${cidr} overlaps ${theirs.text} of pool ${other.name}${other.changeflow ? ' (changeflow)' : ' (not managed by changeflow)'}`);
          }
        }
      }
    }
    if (clashes.length > 0) {
      return fail(f, list(clashes, 6), 'pick blocks outside the existing pools, or shrink/remove the other pool first: LB-IPAM marks overlapping pools as conflicting and allocates from neither');
    }
    return pass(f, `${change.blocks.join(', ')} overlap none of the ${others.length} other pool(s)${others.length > 0 ? ` (${list(others.map((o) => o.name))})` : ''}`);
  });

export const l2PoolSizeRule: Rule = ({ spec, facts }): PrecheckResult[] =>
  changesOf(spec, 'l2Announcement').map(({ change, index }) => {
    const f = { id: 'cluster.l2.pool-size', title: `The L2 announcement stays within ACI's ${aciIpsPerMac} IPs per MAC`, change: index };
    if (!change.loadBalancerIPs) return pass(f, 'the policy announces externalIPs only; no LB-IPAM pool is announced');
    const existing = objectsOfKind(facts, 'CiliumLoadBalancerIPPool');
    const byName = new Map<string, PoolView>();
    for (const p of existing ?? []) byName.set(p.metadata.name, poolView(p, isManagedByChangeflow(p)));
    for (const { change: pool } of changesOf(spec, 'loadBalancerPool', 'any')) {
      if (pool.state === 'absent') byName.delete(pool.name);
      else {
        byName.set(pool.name, {
          name: pool.name,
          blocks: pool.blocks.map((cidr) => ({ cidr })),
          ...(Object.keys(pool.serviceSelector).length > 0 ? { selector: { matchLabels: pool.serviceSelector } } : {}),
          allowFirstLast: pool.allowFirstLastIPs !== false,
          disabled: false,
          changeflow: true,
        });
      }
    }
    const matched = [...byName.values()].filter((p) => !p.disabled && selectorsCanOverlap(change.serviceSelector, p.selector));
    const total = matched.reduce((sum, p) => sum + p.blocks.reduce((s, b) => s + usableAddresses(b, p.allowFirstLast), 0n), 0n);
    const detail = `services matching ${describeSelector(change.serviceSelector)} can take IPs from ${list(matched.map((p) => p.name))}: ${total} address(es)`;
    if (total > BigInt(aciIpsPerMac)) {
      return fail(f, `${detail}, more than the ${aciIpsPerMac} IPs ACI learns per MAC; one node answers ARP for all of them`, `narrow serviceSelector to pools totalling at most ${aciIpsPerMac} addresses, or advertise those pools over BGP instead of L2`);
    }
    if (!existing) return unknown(f, `the existing CiliumLoadBalancerIPPools (not listed); the spec's own pools give ${total} address(es)`);
    return pass(f, `${detail} (≤ ${aciIpsPerMac})`);
  });
