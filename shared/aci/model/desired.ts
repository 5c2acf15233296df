import type { ChangeSpec } from '../../spec/index.js';
import type { PeeringOptions } from '../../kinds/bgp-peering/aci.js';
import { withKind } from '../../kinds/registry.js';
import type { ChangeMos, DesiredMo } from './aci-mo.js';

// The APIC objects each fabric-touching change would create in its `present` form (each kind's
// `aci.objects`, shared/kinds/). The planner diffs present changes against the facts and uses the
// same lists to know what `absent` removes. Cluster-only kinds want none.

export type AciModelOptions = PeeringOptions;

export function changeMos(spec: ChangeSpec, index: number, opts: AciModelOptions): ChangeMos | undefined {
  const change = spec.changes[index];
  if (!change) return undefined;
  return withKind(change, (kind, c) => ('objects' in kind.aci ? kind.aci.objects(spec.aci, c, index, opts) : undefined));
}

/** Every object the spec's present changes want, once per DN (the first change to want it wins). */
export function desiredAciMos(spec: ChangeSpec, opts: AciModelOptions): DesiredMo[] {
  const byDn = new Map<string, DesiredMo>();
  spec.changes.forEach((change, index) => {
    if (change.state !== 'present') return;
    for (const mo of changeMos(spec, index, opts)?.mos ?? []) if (!byDn.has(mo.dn)) byDn.set(mo.dn, mo);
  });
  return [...byDn.values()];
}
