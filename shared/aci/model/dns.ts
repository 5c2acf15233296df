import { rnFor } from '../classes.js';
import { childDn } from '../dn.js';

// DNs of the objects the Cilium-on-ACI design needs (reference/aci.md §1, §3). RNs come from the
// class registry, so a name holding `/` is bracketed exactly as the APIC brackets it.

/** Fixed names of the profiles and policies changeflow creates inside an L3Out or tenant. */
export const profileNames = {
  nodeProfile: 'anchors',
  interfaceProfile: 'floating-svi',
  bestPathPolicy: 'changeflow-ignore-igp',
  bfdPolicy: 'changeflow-bfd',
  /** BGP timers, graceful restart and the max AS-path limit of the anchors (bgpCtxPol). */
  bgpTimersPolicy: 'changeflow-bgp-timers',
  /** The next-hop propagate route map, its context, match rule (LB pool prefixes) and set rule. */
  routeMap: 'changeflow-nh-propagate',
  routeMapContext: 'lb-pools',
  matchRule: 'changeflow-lb-pools',
  setRule: 'changeflow-nh-unchanged',
} as const;

const rn = rnFor;

export const tenantDn = (tenant: string): string => childDn('uni', rn('fvTenant', { name: tenant }));
export const vrfDn = (tenant: string, vrf: string): string => childDn(tenantDn(tenant), rn('fvCtx', { name: vrf }));
export const l3outDn = (tenant: string, l3out: string): string => childDn(tenantDn(tenant), rn('l3extOut', { name: l3out }));
export const physDomainDn = (name: string): string => childDn('uni', rn('physDomP', { name }));
export const l3DomainDn = (name: string): string => childDn('uni', rn('l3extDomP', { name }));
export const fabricBgpDn = (policy = 'default'): string => `uni/fabric/${rn('bgpInstPol', { name: policy })}`;
/** A local user (aaaUser) and the certificate it signs requests with (aaaUserCert, APIC-Certificate-DN). */
export const localUserDn = (user: string): string => childDn(childDn('uni', rn('aaaUserEp', {})), rn('aaaUser', { name: user }));
export const userCertificateDn = (user: string, name: string): string => childDn(localUserDn(user), rn('aaaUserCert', { name }));

/** `topology/pod-1/node-101`: how the policy tree names a leaf (rsnodeL3OutAtt tDn, vlifp nodeDn). */
export const topologyNodeDn = (pod: number, nodeId: number): string => `topology/pod-${pod}/node-${nodeId}`;

export const nodeProfileDn = (l3out: string): string => childDn(l3out, rn('l3extLNodeP', { name: profileNames.nodeProfile }));
export const nodeAttachmentDn = (nodeProfile: string, pod: number, nodeId: number): string =>
  childDn(nodeProfile, rn('l3extRsNodeL3OutAtt', { tDn: topologyNodeDn(pod, nodeId) }));
export const protocolProfileDn = (nodeProfile: string): string => childDn(nodeProfile, rn('bgpProtP', {}));
export const interfaceProfileDn = (nodeProfile: string): string =>
  childDn(nodeProfile, rn('l3extLIfP', { name: profileNames.interfaceProfile }));
export const floatingSviDn = (interfaceProfile: string, pod: number, nodeId: number, vlan: number): string =>
  childDn(interfaceProfile, rn('l3extVirtualLIfP', { nodeDn: topologyNodeDn(pod, nodeId), encap: `vlan-${vlan}` }));
export const dynamicPathDn = (floatingSvi: string, physDomain: string): string =>
  childDn(floatingSvi, rn('l3extRsDynPathAtt', { tDn: physDomainDn(physDomain) }));
export const bgpPeerDn = (parent: string, addr: string): string => childDn(parent, rn('bgpPeerP', { addr }));
export const remoteAsDn = (peer: string): string => childDn(peer, rn('bgpAsP', {}));

export const bestPathPolicyDn = (tenant: string): string =>
  childDn(tenantDn(tenant), rn('bgpBestPathCtrlPol', { name: profileNames.bestPathPolicy }));
export const bgpTimersPolicyDn = (tenant: string): string => childDn(tenantDn(tenant), rn('bgpCtxPol', { name: profileNames.bgpTimersPolicy }));
export const bfdPolicyDn = (tenant: string): string => childDn(tenantDn(tenant), rn('bfdIfPol', { name: profileNames.bfdPolicy }));

export const routeMapDn = (tenant: string): string => childDn(tenantDn(tenant), rn('rtctrlProfile', { name: profileNames.routeMap }));
export const routeMapContextDn = (routeMap: string): string => childDn(routeMap, rn('rtctrlCtxP', { name: profileNames.routeMapContext }));
export const matchRuleDn = (tenant: string): string => childDn(tenantDn(tenant), rn('rtctrlSubjP', { name: profileNames.matchRule }));
export const matchPrefixDn = (matchRule: string, ip: string): string => childDn(matchRule, rn('rtctrlMatchRtDest', { ip }));
export const setRuleDn = (tenant: string): string => childDn(tenantDn(tenant), rn('rtctrlAttrP', { name: profileNames.setRule }));
/** Where the design applies the route map on a BGP peer: the routes the cluster node advertises. */
export const routeMapDirection = 'import';
export const peerRouteMapDn = (peer: string, routeMap: string): string =>
  childDn(peer, rn('bgpRsPeerToProfile', { tDn: routeMap, direction: routeMapDirection }));

export const externalEpgDn = (l3out: string, name: string): string => childDn(l3out, rn('l3extInstP', { name }));
export const externalSubnetDn = (externalEpg: string, ip: string): string => childDn(externalEpg, rn('l3extSubnet', { ip }));

export const applicationProfileDn = (tenant: string, name: string): string => childDn(tenantDn(tenant), rn('fvAp', { name }));
export const esgDn = (ap: string, name: string): string => childDn(ap, rn('fvESg', { name }));
/** The ESG IP selector expression for one host: `ip=='192.168.3.200/32'`. */
export const ipSelectorExpression = (ip: string): string => `ip=='${ip}/${ip.includes(':') ? 128 : 32}'`;
export const ipSelectorDn = (esg: string, ip: string): string =>
  childDn(esg, rn('fvEPSelector', { matchExpression: ipSelectorExpression(ip) }));
