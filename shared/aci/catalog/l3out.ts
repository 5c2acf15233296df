import {
  annotation, bool, descr, dnRef, enabledDisabled, encap, flags, ip, mac, nameAlias, namedPolicy, num, oneOf, optionalName, owned,
  patterns, prio, str, targetDscp, type AttrSpec,
} from './attr.js';
import { cfg, dnRel, namedRel, type ClassEntry } from './entry.js';

// The L3Out and its node and interface profiles, the floating SVI and the external EPGs.
// l3extInstP and l3extSubnet follow the APIC class metadata exactly; the others follow the
// cisco.aci module documentation (aci_l3out*, aci_l3out_interface) and reference/aci.md.

const colourTag = str(0, 64, patterns.plainName, 'yellow-green');
const mtu = num(576, 9216, 'inherit', ['inherit']);
const vmmFlag = oneOf(['Disabled', 'Enabled'], 'Disabled');

/** What an interface on an L3Out carries, whether a path attachment or a floating SVI. */
const l3Interface: Record<string, AttrSpec> = {
  annotation, descr, addr: ip('0.0.0.0'), autostate: enabledDisabled('disabled'), encapScope: oneOf(['ctx', 'local'], 'local'),
  ipv6Dad: enabledDisabled('enabled'), llAddr: ip('::'), mac: mac('00:22:BD:F8:19:FF'),
  mode: oneOf(['native', 'regular', 'untagged'], 'regular'), mtu, targetDscp,
};

export const l3outClasses: ClassEntry[] = [
  cfg('l3extOut', 'out-{name}', ['fvTenant'], {
    ...namedPolicy, ...owned, enforceRtctrl: flags(['export', 'import'], 'export'), mplsEnabled: bool('no'), targetDscp,
  }),
  namedRel('l3extRsEctx', 'rsectx', ['l3extOut'], 'tnFvCtxName', 'fvCtx'),
  dnRel('l3extRsL3DomAtt', 'rsl3DomAtt', ['l3extOut'], 'l3extDomP'),
  cfg('bgpExtP', 'bgpExtP', ['l3extOut'], { annotation, descr, nameAlias }),
  cfg('ospfExtP', 'ospfExtP', ['l3extOut'], {
    annotation, descr, nameAlias, areaCost: num(1, 16777215, '1'), areaCtrl: flags(['redistribute', 'summary', 'suppress-fa'], 'redistribute,summary'),
    areaId: str(0, 64, '^[a-zA-Z0-9.]+$', 'backbone'), areaType: oneOf(['nssa', 'regular', 'stub'], 'regular'), multipodInternal: bool('no'),
  }),
  cfg('eigrpExtP', 'eigrpExtP', ['l3extOut'], { annotation, descr, nameAlias, asn: num(1, 65535, '1') }),
  cfg('pimExtP', 'pimextp', ['l3extOut'], { annotation, descr, name: optionalName, nameAlias, enabledAf: flags(['ipv4-mcast', 'ipv6-mcast'], 'ipv4-mcast') }),
  cfg('l3extLNodeP', 'lnodep-{name}', ['l3extOut'], { ...namedPolicy, ...owned, tag: colourTag, targetDscp }, { oper: { configIssues: '' } }),
  dnRel('l3extRsNodeL3OutAtt', 'rsnodeL3OutAtt-[{tDn}]', ['l3extLNodeP'], 'fabricNode', { rtrId: ip(''), rtrIdLoopBack: bool('yes') }),
  cfg('l3extLoopBackIfP', 'lbp-[{addr}]', ['l3extRsNodeL3OutAtt'], { annotation, descr, addr: ip(), name: optionalName, nameAlias }),
  cfg('l3extLIfP', 'lifp-{name}', ['l3extLNodeP'], { ...namedPolicy, ...owned, prio, tag: colourTag }),
  namedRel('l3extRsNdIfPol', 'rsNdIfPol', ['l3extLIfP'], 'tnNdIfPolName', 'ndIfPol'),
  namedRel('l3extRsIngressQosDppPol', 'rsIngressQosDppPol', ['l3extLIfP'], 'tnQosDppPolName', 'qosDppPol'),
  namedRel('l3extRsEgressQosDppPol', 'rsEgressQosDppPol', ['l3extLIfP'], 'tnQosDppPolName', 'qosDppPol'),
  // Floating SVI: one per anchor leaf; nodeDn and encap name it, so both are fixed at creation.
  cfg('l3extVirtualLIfP', 'vlifp-[{nodeDn}]-[{encap}]', ['l3extLIfP'], {
    ...l3Interface, nodeDn: dnRef(), encap: encap(), ifInstT: oneOf(['ext-svi', 'l3-port', 'sub-interface', 'unspecified'], 'ext-svi', undefined, { createOnly: true }),
  }),
  dnRel('l3extRsDynPathAtt', 'rsdynPathAtt-[{tDn}]', ['l3extVirtualLIfP'], 'physDomP', {
    encap: encap(), floatingAddr: ip('0.0.0.0'), forgedTransmit: vmmFlag, macChange: vmmFlag, promMode: vmmFlag,
  }),
  cfg('l3extIp', 'addr-[{addr}]', ['l3extVirtualLIfP', 'l3extRsPathL3OutAtt', 'l3extRsDynPathAtt'], {
    annotation, descr, addr: ip(), name: optionalName, nameAlias, ipv6Dad: enabledDisabled('enabled'),
  }),
  dnRel('l3extRsPathL3OutAtt', 'rspathL3OutAtt-[{tDn}]', ['l3extLIfP'], 'fabricPathEp', {
    ...l3Interface, encap: encap(), ifInstT: oneOf(['ext-svi', 'l3-port', 'sub-interface', 'unspecified'], 'unspecified'),
  }),
  cfg('l3extInstP', 'instP-{name}', ['l3extOut'], {
    ...namedPolicy, exceptionTag: str(0, 512), floodOnEncap: enabledDisabled('disabled'),
    matchT: oneOf(['All', 'AtleastOne', 'AtmostOne', 'None'], 'AtleastOne'), pcEnfPref: oneOf(['enforced', 'unenforced'], 'unenforced'),
    prefGrMemb: oneOf(['exclude', 'include'], 'exclude'), prio, targetDscp,
  }, {
    oper: {
      configIssues: '', configSt: 'applied', isSharedSrvMsiteEPg: 'no', mcast: 'no', pcTag: '32772', pcTagAllocSrc: 'idmanager',
      scope: '2097152', triggerSt: 'triggerable', txId: '0',
    },
  }),
  cfg('l3extSubnet', 'extsubnet-[{ip}]', ['l3extInstP'], {
    annotation, descr, ip: ip(), name: optionalName, nameAlias, aggregate: flags(['export-rtctrl', 'import-rtctrl', 'shared-rtctrl']),
    scope: flags(['export-rtctrl', 'import-rtctrl', 'import-security', 'shared-rtctrl', 'shared-security'], 'import-security'),
  }),
];
