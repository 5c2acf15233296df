import type { AciContext } from '../../spec/index.js';
import { changeflowAnnotation as annotation } from './annotation.js';
import type { DesiredMo } from './aci-mo.js';
import { l3outDn, tenantDn, vrfDn } from './dns.js';

// The chain every fabric-touching change hangs from. Tenant and VRF are created only when the
// fabric lacks them (and never removed by `absent`); the L3Out and its VRF relation are shared by
// the peering and the pools.

export function tenantMos(aci: AciContext, change: number): DesiredMo[] {
  return [
    { className: 'fvTenant', dn: tenantDn(aci.tenant), role: 'shared', change, attrs: { name: aci.tenant, annotation } },
    { className: 'fvCtx', dn: vrfDn(aci.tenant, aci.vrf), role: 'shared', change, attrs: { name: aci.vrf, annotation } },
  ];
}

export function l3outContainerMos(aci: AciContext, change: number): DesiredMo[] {
  const out = l3outDn(aci.tenant, aci.l3out);
  return [
    ...tenantMos(aci, change),
    { className: 'l3extOut', dn: out, role: 'container', change, attrs: { name: aci.l3out, annotation } },
    { className: 'l3extRsEctx', dn: `${out}/rsectx`, role: 'part', change, attrs: { tnFvCtxName: aci.vrf, annotation } },
  ];
}
