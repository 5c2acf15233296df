import * as z from '../../zod.js';
import { parseCidr, type IpFamily } from '../../spec/addresses.js';
import type { ClusterFacts } from '../facts/cluster-facts.js';
import { isManagedByChangeflow } from '../plan/field-owners.js';
import { poolView } from './pool-rules.js';

// Which address families a pool's addresses need on the BGP sessions, and which ones an existing
// CiliumBGPPeerConfig negotiates: Cilium advertises a pool's /32s or /128s only in a family the
// PeerConfig lists (its spec.families), so a missing family withdraws the routes silently.

export function familiesOfBlocks(blocks: ReadonlyArray<{ cidr?: string; start?: string }>): IpFamily[] {
  const found = new Set<IpFamily>();
  for (const b of blocks) {
    const text = b.cidr ?? b.start ?? '';
    found.add(text.includes(':') ? 'ipv6' : (parseCidr(text)?.family ?? 'ipv4'));
  }
  return (['ipv4', 'ipv6'] as const).filter((f) => found.has(f));
}

const PeerConfigSpec = z.looseObject({ families: z.optional(z.array(z.looseObject({ afi: z.string(), safi: z.optional(z.string()) }))) });

/** The unicast families an existing PeerConfig lists. */
export function peerConfigFamilies(peerConfig: Record<string, unknown>): string[] {
  const spec = PeerConfigSpec.safeParse(peerConfig['spec'] ?? {});
  return spec.success ? (spec.data.families ?? []).filter((f) => (f.safi ?? 'unicast') === 'unicast').map((f) => f.afi) : [];
}

/** changeflow's existing pools with the families of their blocks (a pool the spec removes excluded). */
export function changeflowPoolFamilies(facts: ClusterFacts | undefined, removed: ReadonlySet<string>): Array<{ name: string; families: IpFamily[] }> {
  return Object.values(facts?.objects ?? {})
    .filter((o) => o.kind === 'CiliumLoadBalancerIPPool' && isManagedByChangeflow(o) && !removed.has(o.metadata.name))
    .map((o) => ({ name: o.metadata.name, families: familiesOfBlocks(poolView(o, true).blocks) }));
}
