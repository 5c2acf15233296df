import type { AciContext, BgpPeering } from '../../spec/index.js';
import { changeflowAnnotation as annotation } from '../../aci/model/annotation.js';
import type { ChangeMos, DesiredMo, MoRole } from '../../aci/model/aci-mo.js';
import {
  bestPathPolicyDn, bfdPolicyDn, bgpPeerDn, bgpTimersPolicyDn, dynamicPathDn, floatingSviDn, interfaceProfileDn, l3DomainDn, l3outDn, nodeAttachmentDn,
  nodeProfileDn, physDomainDn, profileNames, protocolProfileDn, remoteAsDn, topologyNodeDn,
} from '../../aci/model/dns.js';
import { l3outContainerMos } from '../../aci/model/containers.js';
import { nextHopRouteMapMos } from '../../aci/model/next-hop.js';
import { secretDescr } from '../../aci/model/secret-ref.js';
import { defaultTimers } from './cluster.js';

// The floating-SVI L3Out of the design (reference/aci.md §1): one node profile with a router id
// per anchor, one interface profile with a floating SVI per anchor, the physical domain attached
// through l3extRsDynPathAtt (the floating, non-anchor side), and per SVI a BGP peer whose address
// is the peering subnet (dynamic neighbours) with the cluster's AS. On 6.1(2)+ the anchors'
// protocol profile ignores the IGP metric and every peer carries the next-hop propagate route
// map (../../aci/model/next-hop.ts).
//
// The L3Out's own l3extRsL3DomAtt names the L3 domain of aci.l3Domain (uni/l3dom-…), whose VLAN
// pool must hold the SVI encap; without aci.l3Domain an existing attachment is left as it is
// (the precheck aci.domain.l3-domain refuses an L3Out that would have none).

export interface PeeringOptions {
  /**
   * APIC and anchors run 6.1(2)+: the advanced BGP option of the design — the ignore-IGP-metric
   * best-path policy and the next-hop propagate route map on every floating-SVI peer, whose match
   * rule the LoadBalancer pools fill.
   */
  readonly ignoreIgpMetric: boolean;
}

/** BFD timers of the design: multiplier 3, 300 ms tx/rx, echo 50 ms (Cilium's defaults). */
export const designBfdTimers = { detectMult: '3', minTxIntvl: '300', minRxIntvl: '300', echoRxIntvl: '50', echoAdminSt: 'enabled' };

export function peeringMos(aci: AciContext, change: BgpPeering, index: number, opts: PeeringOptions): ChangeMos {
  const mo = (className: string, dn: string, role: MoRole, attrs: Record<string, string>): DesiredMo => ({
    className, dn, role, change: index, attrs: { ...attrs, annotation },
  });
  const out = l3outDn(aci.tenant, aci.l3out);
  const nodeProfile = nodeProfileDn(out);
  const ifProfile = interfaceProfileDn(nodeProfile);
  const mos: DesiredMo[] = [
    ...l3outContainerMos(aci, index),
    mo('bgpExtP', `${out}/bgpExtP`, 'owned', {}),
    ...(aci.l3Domain !== undefined ? [mo('l3extRsL3DomAtt', `${out}/rsl3DomAtt`, 'owned', { tDn: l3DomainDn(aci.l3Domain) })] : []),
    mo('l3extLNodeP', nodeProfile, 'owned', { name: profileNames.nodeProfile }),
    ...change.anchors.map((a) =>
      mo('l3extRsNodeL3OutAtt', nodeAttachmentDn(nodeProfile, a.pod, a.nodeId), 'owned', {
        tDn: topologyNodeDn(a.pod, a.nodeId), rtrId: a.routerId, rtrIdLoopBack: 'no',
      }),
    ),
  ];
  // The anchors' side of the session the cluster's CiliumBGPPeerConfig sets up (cluster.ts): the
  // same hold and keepalive timers, graceful restart (helper) when the cluster restarts
  // gracefully, and the design's hardening of at most `maxAsLimit` ASes in a received AS path.
  const protp = protocolProfileDn(nodeProfile);
  const timers = { ...defaultTimers, ...change.timers };
  mos.push(
    mo('bgpCtxPol', bgpTimersPolicyDn(aci.tenant), 'policy', {
      name: profileNames.bgpTimersPolicy, holdIntvl: String(timers.holdTimeSeconds), kaIntvl: String(timers.keepAliveTimeSeconds),
      grCtrl: change.gracefulRestart ? 'helper' : '', maxAsLimit: String(change.maxAsLimit),
    }),
    mo('bgpProtP', protp, 'owned', {}),
    mo('bgpRsBgpNodeCtxPol', `${protp}/rsbgpNodeCtxPol`, 'owned', { tnBgpCtxPolName: profileNames.bgpTimersPolicy }),
  );
  if (opts.ignoreIgpMetric) {
    mos.push(
      mo('bgpBestPathCtrlPol', bestPathPolicyDn(aci.tenant), 'policy', { name: profileNames.bestPathPolicy, ctrl: 'ignoreIgpMetric' }),
      mo('bgpRsBestPathCtrlPol', `${protp}/rsBestPathCtrlPol`, 'owned', { tnBgpBestPathCtrlPolName: profileNames.bestPathPolicy }),
    );
  }
  mos.push(mo('l3extLIfP', ifProfile, 'owned', { name: profileNames.interfaceProfile }));
  if (change.bfd) {
    mos.push(
      mo('bfdIfPol', bfdPolicyDn(aci.tenant), 'policy', { name: profileNames.bfdPolicy, ...designBfdTimers }),
      mo('bfdIfP', `${ifProfile}/bfdIfP`, 'owned', {}),
      mo('bfdRsIfPol', `${ifProfile}/bfdIfP/rsIfPol`, 'owned', { tnBfdIfPolName: profileNames.bfdPolicy }),
    );
  }
  const peers: string[] = [];
  for (const a of change.anchors) {
    const svi = floatingSviDn(ifProfile, a.pod, a.nodeId, change.vlan);
    const peer = bgpPeerDn(svi, change.peeringSubnet);
    peers.push(peer);
    mos.push(
      mo('l3extVirtualLIfP', svi, 'owned', {
        nodeDn: topologyNodeDn(a.pod, a.nodeId), encap: `vlan-${change.vlan}`, addr: a.address, ifInstT: 'ext-svi',
      }),
      mo('l3extRsDynPathAtt', dynamicPathDn(svi, aci.physDomain), 'owned', {
        tDn: physDomainDn(aci.physDomain), floatingAddr: change.floatingIp,
      }),
      // The password travels as the secret reference its descr records (aci/model/secret-ref.ts).
      mo('bgpPeerP', peer, 'owned', { addr: change.peeringSubnet, peerCtrl: change.bfd ? 'bfd' : '', descr: change.password ? secretDescr(change.password.secretRef) : '' }),
      mo('bgpAsP', remoteAsDn(peer), 'owned', { asn: String(change.clusterAsn) }),
    );
  }
  if (opts.ignoreIgpMetric) mos.push(...nextHopRouteMapMos(aci, peers, index));
  return { mos, prune: [{ root: nodeProfile, change: index }] };
}
