import type { AciContext } from '../../spec/index.js';
import { changeflowAnnotation as annotation } from './annotation.js';
import type { DesiredMo, MoRole } from './aci-mo.js';
import {
  matchPrefixDn, matchRuleDn, peerRouteMapDn, profileNames, routeMapContextDn, routeMapDirection, routeMapDn, setRuleDn,
} from './dns.js';

// Next-hop propagate, the requirement of the design's advanced BGP option on ACI 6.1(2)+
// (datacenter/cilium-dc-design docs/aci/examples/advanced.md; reference/aci.md): a match rule on
// the LoadBalancer pool prefixes (aggregate, so every service /32 inside a pool matches), a set
// rule "next-hop unchanged", and a route map whose one context joins them, applied to the BGP
// peer of every floating SVI. The route map belongs to the peering; each pool brings its own
// prefixes into the shared match rule, so the route map follows the pools as they come and go.

const mo = (className: string, dn: string, role: MoRole, change: number, attrs: Record<string, string>): DesiredMo => ({
  className, dn, role, change, attrs: { ...attrs, annotation },
});

/** The match rule every pool adds its prefixes to: created by whichever change needs it first. */
export function matchRuleMo(aci: AciContext, change: number): DesiredMo {
  return mo('rtctrlSubjP', matchRuleDn(aci.tenant), 'container', change, { name: profileNames.matchRule });
}

/** The route map, its context and the set rule, plus the attachment on each floating-SVI peer. */
export function nextHopRouteMapMos(aci: AciContext, peers: ReadonlyArray<string>, change: number): DesiredMo[] {
  const routeMap = routeMapDn(aci.tenant);
  const ctx = routeMapContextDn(routeMap);
  const setRule = setRuleDn(aci.tenant);
  return [
    matchRuleMo(aci, change),
    mo('rtctrlAttrP', setRule, 'policy', change, { name: profileNames.setRule }),
    mo('rtctrlSetNhUnchanged', `${setRule}/nhunchanged`, 'part', change, {}),
    mo('rtctrlProfile', routeMap, 'policy', change, { name: profileNames.routeMap, type: 'combinable', autoContinue: 'no' }),
    mo('rtctrlCtxP', ctx, 'owned', change, { name: profileNames.routeMapContext, action: 'permit', order: '0' }),
    mo('rtctrlRsCtxPToSubjP', `${ctx}/rsctxPToSubjP-${profileNames.matchRule}`, 'owned', change, { tnRtctrlSubjPName: profileNames.matchRule }),
    mo('rtctrlScope', `${ctx}/scp`, 'owned', change, {}),
    mo('rtctrlRsScopeToAttrP', `${ctx}/scp/rsScopeToAttrP`, 'owned', change, { tnRtctrlAttrPName: profileNames.setRule }),
    ...peers.map((peer) => mo('bgpRsPeerToProfile', peerRouteMapDn(peer, routeMap), 'owned', change, { tDn: routeMap, direction: routeMapDirection })),
  ];
}

/** A pool's prefixes in the match rule, named after the pool (several pools share the rule). */
export function poolMatchMos(aci: AciContext, blocks: ReadonlyArray<string>, owner: string, change: number): DesiredMo[] {
  const rule = matchRuleDn(aci.tenant);
  return [
    matchRuleMo(aci, change),
    ...blocks.map((ip) => ({ ...mo('rtctrlMatchRtDest', matchPrefixDn(rule, ip), 'owned', change, { ip, aggregate: 'yes', name: owner }), createOnly: ['name'] })),
  ];
}
