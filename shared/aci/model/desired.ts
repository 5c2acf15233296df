import type { ChangeSpec } from '../../spec/index.js';
import type { ChangeMos, DesiredMo } from './aci-mo.js';
import { esgMos } from './esg.js';
import { externalEpgMos } from './external-epg.js';
import { peeringMos, type PeeringOptions } from './peering.js';

// The APIC objects each fabric-touching change would create in its `present` form. The planner
// diffs present changes against the facts and uses the same lists to know what `absent` removes.
// l2Announcement and ciliumConfig touch only the cluster.

export type AciModelOptions = PeeringOptions;

export function changeMos(spec: ChangeSpec, index: number, opts: AciModelOptions): ChangeMos | undefined {
  const change = spec.changes[index];
  switch (change?.type) {
    case 'bgpPeering':
      return peeringMos(spec.aci, change, index, opts);
    case 'loadBalancerPool':
      return externalEpgMos(spec.aci, change, index);
    case 'egressGateway':
      return esgMos(spec.aci, change, index);
    default:
      return undefined;
  }
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
