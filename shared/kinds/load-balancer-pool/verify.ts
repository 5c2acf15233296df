import * as z from '../../zod.js';
import type { ChangeSpec } from '../../spec/index.js';
import { objectsOfKind } from '../../cilium/facts/kube-lists.js';
import type { ObjectsCheck } from '../kind.js';

// Verify step for loadBalancerPool: the pool exists (or is gone, for `absent`), LB-IPAM does not
// report cilium.io/PoolConflict=True, and the IP counts — which the operator writes into the
// condition *message* with status Unknown — are read as numbers.

const Pool = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  status: z.optional(z.looseObject({ conditions: z.nullish(z.array(z.looseObject({ type: z.string(), status: z.string(), message: z.optional(z.string()) }))) })),
});

export const PoolCheck = z.object({
  name: z.string(),
  state: z.enum(['present', 'absent']),
  found: z.boolean(),
  conflict: z.optional(z.string()),
  ipsTotal: z.optional(z.number()),
  ipsAvailable: z.optional(z.number()),
  ipsUsed: z.optional(z.number()),
});
export type PoolCheck = z.infer<typeof PoolCheck>;

export const PoolsVerdict = z.object({ ok: z.boolean(), pools: z.array(PoolCheck), problems: z.array(z.string()) });
export type PoolsVerdict = z.infer<typeof PoolsVerdict>;

function count(message: string | undefined): number | undefined {
  return message !== undefined && /^\d+$/.test(message.trim()) ? Number(message.trim()) : undefined;
}

export function evaluatePools(spec: ChangeSpec, pools: unknown[]): PoolsVerdict {
  const parsed = objectsOfKind(pools, 'CiliumLoadBalancerIPPool', Pool);
  const checks: PoolCheck[] = [];
  const problems: string[] = [];
  for (const change of spec.changes) {
    if (change.type !== 'loadBalancerPool') continue;
    const pool = parsed.find((p) => p.metadata.name === change.name);
    if (change.state === 'absent') {
      checks.push({ name: change.name, state: 'absent', found: pool !== undefined });
      if (pool) problems.push(`pool ${change.name} still exists`);
      continue;
    }
    if (!pool) {
      checks.push({ name: change.name, state: 'present', found: false });
      problems.push(`pool ${change.name} does not exist`);
      continue;
    }
    const conditions = pool.status?.conditions ?? [];
    const byType = (t: string) => conditions.find((c) => c.type === t);
    const conflict = byType('cilium.io/PoolConflict');
    const check: PoolCheck = {
      name: change.name,
      state: 'present',
      found: true,
      ...(conflict?.status === 'True' ? { conflict: conflict.message ?? 'PoolConflict is True' } : {}),
      ...optionalCount('ipsTotal', count(byType('cilium.io/IPsTotal')?.message)),
      ...optionalCount('ipsAvailable', count(byType('cilium.io/IPsAvailable')?.message)),
      ...optionalCount('ipsUsed', count(byType('cilium.io/IPsUsed')?.message)),
    };
    checks.push(check);
    if (check.conflict) problems.push(`pool ${change.name} conflicts: ${check.conflict}`);
  }
  return { ok: problems.length === 0, pools: checks, problems };
}

function optionalCount<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** The verify step's check for every pool change, present or absent. */
export const poolsCheck: ObjectsCheck = {
  type: 'objects',
  id: 'lb-pools',
  when: 'any',
  lists: [{ group: 'cilium.io', kind: 'CiliumLoadBalancerIPPool' }],
  evaluate: (spec, [pools = []]) => {
    const v = evaluatePools(spec, pools);
    return { ok: v.ok, evidence: v.ok ? v.pools.map((p) => `${p.name} ${p.state}${p.ipsAvailable !== undefined ? ` (${p.ipsAvailable} IPs free)` : ''}`).join(', ') : v.problems.join('; ') };
  },
};
