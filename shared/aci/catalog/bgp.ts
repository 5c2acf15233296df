import {
  annotation, descr, enabledDisabled, flags, ip, nameAlias, namedPolicy, num, oneOf, optionalName, owned, secret,
} from './attr.js';
import { cfg, dnRel, namedRel, type ClassEntry } from './entry.js';

// BGP on the L3Out: the node-profile protocol profile (timers, best path), the peers on the
// floating SVIs with their remote AS and route maps, and BFD on the interface profile. Values
// and ranges follow the cisco.aci modules (aci_l3out_bgp_peer, aci_bgp_timers_policy) and
// reference/aci.md.

const asn = num(1, 4294967295, '');

export const bgpClasses: ClassEntry[] = [
  cfg('bgpProtP', 'protp', ['l3extLNodeP'], { annotation, descr, name: optionalName, nameAlias }),
  namedRel('bgpRsBestPathCtrlPol', 'rsBestPathCtrlPol', ['bgpProtP'], 'tnBgpBestPathCtrlPolName', 'bgpBestPathCtrlPol'),
  namedRel('bgpRsBgpNodeCtxPol', 'rsbgpNodeCtxPol', ['bgpProtP'], 'tnBgpCtxPolName', 'bgpCtxPol'),
  cfg('bgpPeerP', 'peerP-[{addr}]', ['l3extVirtualLIfP', 'l3extRsPathL3OutAtt', 'l3extLNodeP'], {
    annotation, descr, addr: ip(), name: optionalName, nameAlias,
    addrTCtrl: flags(['af-mcast', 'af-ucast'], 'af-ucast'), adminSt: enabledDisabled('enabled'), allowedSelfAsCnt: num(1, 10, '3'),
    ctrl: flags(['allow-self-as', 'as-override', 'dis-peer-as-check', 'nh-self', 'segment-routing-disable', 'send-com', 'send-ext-com']),
    ctrlExt: flags(['send-domain-path']), password: secret(), peerCtrl: flags(['bfd', 'dis-conn-check']),
    privateASctrl: flags(['remove-all', 'remove-exclusive', 'replace-as']), ttl: num(1, 255, '1'), weight: num(0, 65535, '0'),
  }, { implicit: ['bgpRsPeerPfxPol'] }),
  cfg('bgpAsP', 'as', ['bgpPeerP', 'bgpInstPol'], { annotation, descr, name: optionalName, nameAlias, asn }),
  cfg('bgpLocalAsnP', 'localasn', ['bgpPeerP'], {
    annotation, descr, name: optionalName, nameAlias, asnPropagate: oneOf(['dual-as', 'no-prepend', 'none', 'replace-as'], 'none'), localAsn: asn,
  }),
  namedRel('bgpRsPeerPfxPol', 'rspeerPfxPol', ['bgpPeerP'], 'tnBgpPeerPfxPolName', 'bgpPeerPfxPol'),
  // A route map on a peer: `import` filters what the peer sends, `export` what the fabric sends it.
  dnRel('bgpRsPeerToProfile', 'rspeerToProfile-[{tDn}]-{direction}', ['bgpPeerP'], 'rtctrlProfile', {
    direction: oneOf(['export', 'import'], 'import'),
  }),
  cfg('bfdIfP', 'bfdIfP', ['l3extLIfP'], {
    annotation, descr, name: optionalName, nameAlias, key: secret(), keyId: num(1, 255, '1'), type: oneOf(['none', 'sha1'], 'none'),
  }),
  namedRel('bfdRsIfPol', 'rsIfPol', ['bfdIfP'], 'tnBfdIfPolName', 'bfdIfPol'),
  cfg('bgpInstPol', 'bgpInstP-{name}', ['fabricInst'], { ...namedPolicy, ...owned }),
  cfg('bgpRRP', 'rr', ['bgpInstPol'], { annotation, descr, name: optionalName, nameAlias }),
];

