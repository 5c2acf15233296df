import type { AciContext, EgressGateway } from '../../spec/index.js';
import { changeflowAnnotation as annotation } from '../../aci/model/annotation.js';
import type { ChangeMos } from '../../aci/model/aci-mo.js';
import { apicSafeName } from '../../aci/model/apic-name.js';
import { tenantMos } from '../../aci/model/containers.js';
import { applicationProfileDn, esgDn, ipSelectorDn, ipSelectorExpression } from '../../aci/model/dns.js';

// An egress-gateway IP is classified into an endpoint security group: fvESg in the VRF
// (fvRsScope, mandatory) with an IP selector `ip=='<egressIp>/32'`. The selector carries the
// change's name, since several egress policies may share one ESG.

export function esgMos(aci: AciContext, change: EgressGateway, index: number): ChangeMos {
  const ap = applicationProfileDn(aci.tenant, change.esg.applicationProfile);
  const esg = esgDn(ap, change.esg.name);
  const owner = apicSafeName(change.name);
  return {
    mos: [
      ...tenantMos(aci, index),
      { className: 'fvAp', dn: ap, role: 'container', change: index, attrs: { name: change.esg.applicationProfile, annotation } },
      { className: 'fvESg', dn: esg, role: 'owned', change: index, attrs: { name: change.esg.name, annotation } },
      { className: 'fvRsScope', dn: `${esg}/rsscope`, role: 'part', change: index, attrs: { tnFvCtxName: aci.vrf, annotation } },
      {
        className: 'fvEPSelector', dn: ipSelectorDn(esg, change.egressIp), role: 'owned', change: index,
        attrs: { matchExpression: ipSelectorExpression(change.egressIp), name: owner, annotation }, createOnly: ['name'],
      },
    ],
    prune: [{ root: esg, className: 'fvEPSelector', name: owner, change: index }],
  };
}
