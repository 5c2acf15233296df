import type { PrecheckResult } from '../../plan/index.js';
import type { AciRuleContext } from '../../aci/prechecks/context.js';
import { extEpgsFabricRule, extEpgsPerL3OutRule, policyCamRule } from '../../aci/prechecks/capacity-rules.js';
import { l3outVrfRule, poolPrefixRule } from '../../aci/prechecks/conflict-rules.js';
import { rangeOfBlock, rangesOverlap } from '../../cilium/ip-ranges.js';
import { isManagedByChangeflow } from '../../cilium/plan/field-owners.js';
import { poolView } from '../../cilium/prechecks/pool-rules.js';
import { changesOf, fail, list, none, objectsOfKind, pass, unknown, type Rule } from '../../cilium/prechecks/rule-kit.js';
import { bgpObjectName } from '../../cilium/manifests/names.js';
import { familiesOfBlocks, peerConfigFamilies } from '../../cilium/prechecks/pool-families.js';
import type { ClusterPrechecks } from '../kind.js';

// loadBalancerPool prechecks. Fabric: the L3Out's VRF, external-EPG capacity, the blocks against
// the VRF's subnets. Cluster: overlapping blocks make LB-IPAM mark both pools as conflicting (no
// allocations from either).

export function loadBalancerPoolAciPrechecks(ctx: AciRuleContext): PrecheckResult[] {
  if (ctx.pools.length === 0) return [];
  return [l3outVrfRule(ctx), extEpgsPerL3OutRule(ctx), extEpgsFabricRule(ctx), ...ctx.pools.map((p) => poolPrefixRule(ctx, p)), policyCamRule(ctx)];
}

const poolOverlapRule: Rule = ({ spec, facts }) =>
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

// The pool's advertisement rides changeflow's CiliumBGPPeerConfig of this L3Out, which must list
// the pool's families. A bgpPeering change in the same spec lists them itself
// (shared/kinds/bgp-peering/cluster.ts, peeringFamilies); otherwise the existing one is read.
const bgpFamilyRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'loadBalancerPool').map(({ change, index }) => {
    const f = { id: 'cluster.pool.bgp-family', title: "The BGP peering carries the pool's address families", change: index };
    const needed = familiesOfBlocks(change.blocks.map((cidr) => ({ cidr })));
    if (!facts) return unknown(f, 'the cluster (no facts were gathered)');
    if (spec.changes.some((c) => c.type === 'bgpPeering' && c.state === 'present')) {
      return pass(f, `the spec's bgpPeering lists ${needed.join(' and ')} unicast for this pool`);
    }
    const name = bgpObjectName(spec.aci);
    const peerConfigs = objectsOfKind(facts, 'CiliumBGPPeerConfig');
    if (!peerConfigs) {
      if (needed.every((fam) => fam === 'ipv4')) return pass(f, `an IPv4 pool; the CiliumBGPPeerConfig ${name} was not listed to confirm its ipv4 unicast family`);
      return unknown(f, `whether CiliumBGPPeerConfig ${name} lists ${needed.join(' and ')} unicast (PeerConfigs were not listed)`);
    }
    const peerConfig = peerConfigs.find((p) => p.metadata.name === name);
    if (!peerConfig) return pass(f, `no CiliumBGPPeerConfig ${name} yet: the pool is advertised once a bgpPeering change creates it (put this pool in that spec so its families are listed)`);
    const have = peerConfigFamilies(peerConfig);
    const missing = needed.filter((fam) => !have.includes(fam));
    if (missing.length === 0) return pass(f, `CiliumBGPPeerConfig ${name} lists ${have.join(', ')} unicast, covering ${needed.join(' and ')}`);
    return fail(
      f,
      `the pool has ${missing.join(' and ')} blocks, but CiliumBGPPeerConfig ${name} lists only ${have.join(', ') || 'no'} unicast: its addresses would never be advertised to the fabric`,
      `put the bgpPeering change in this spec too (unchanged): it then lists ${missing.join(' and ')} unicast for the spec's pools`,
    );
  });

const existingRule: Rule = (ctx) => [...poolOverlapRule(ctx), ...bgpFamilyRule(ctx)];

export const loadBalancerPoolClusterPrechecks: ClusterPrechecks = { release: none, config: none, nodes: none, existing: existingRule };
