import type { LoadBalancerPool } from './schema.js';

/** `pool-red 10.0.10.0/24 → ext-EPG default_svc`. */
export function describeLoadBalancerPool(change: LoadBalancerPool): string {
  return `${change.name} ${change.blocks.join(',')} → ext-EPG ${change.externalEpg}`;
}
