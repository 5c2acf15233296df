import type { AciContext, LoadBalancerPool } from '../../spec/index.js';
import { changeflowAnnotation as annotation } from '../../aci/model/annotation.js';
import type { ChangeMos } from '../../aci/model/aci-mo.js';
import { apicSafeName } from '../../aci/model/apic-name.js';
import { l3outContainerMos } from '../../aci/model/containers.js';
import type { AciModelOptions } from '../../aci/model/desired.js';
import { externalEpgDn, externalSubnetDn, l3outDn, matchRuleDn } from '../../aci/model/dns.js';
import { poolMatchMos } from '../../aci/model/next-hop.js';

// A LoadBalancer pool is classified on the L3Out's external EPG: one l3extSubnet per block with
// scope import-security ("External Subnets for External EPG"). Several pools may share one
// external EPG, so each subnet carries the pool's name to tell whose it is. With next-hop
// propagate (6.1(2)+) the pool's blocks also go into the route map's match rule, so the fabric
// keeps the advertising node as next hop for every service IP of the pool.

export function externalEpgMos(aci: AciContext, change: LoadBalancerPool, index: number, opts: AciModelOptions): ChangeMos {
  const epg = externalEpgDn(l3outDn(aci.tenant, aci.l3out), change.externalEpg);
  const owner = apicSafeName(change.name);
  return {
    mos: [
      ...l3outContainerMos(aci, index),
      { className: 'l3extInstP', dn: epg, role: 'container', change: index, attrs: { name: change.externalEpg, annotation } },
      ...change.blocks.map((ip) => ({
        className: 'l3extSubnet', dn: externalSubnetDn(epg, ip), role: 'owned' as const, change: index,
        attrs: { ip, scope: 'import-security', name: owner, annotation }, createOnly: ['name'],
      })),
      ...(opts.ignoreIgpMetric ? poolMatchMos(aci, change.blocks, owner, index) : []),
    ],
    prune: [
      { root: epg, className: 'l3extSubnet', name: owner, change: index },
      { root: matchRuleDn(aci.tenant), className: 'rtctrlMatchRtDest', name: owner, change: index },
    ],
  };
}
