import {
  annotation, bool, descr, enabledDisabled, encap, flags, ip, mac, nameAlias, namedPolicy, num, oneOf, optionalName,
  owned, patterns, prio, str,
} from './attr.js';
import { cfg, dnRel, namedRel, oper, type ClassEntry } from './entry.js';

// Tenant policy: tenant, VRF, BD, application profiles, EPGs and ESGs, and the tenant-level
// policies the L3Out refers to. fvTenant, fvCtx, fvBD, fvAp, fvAEPg, fvESg, fvRsDomAtt and fvRsScope
// follow the APIC class metadata exactly (test/unit/apic/catalog-vs-meta.test.ts); the rest
// follow the cisco.aci module documentation and reference/aci.md.

const tenantName = str(1, 63, patterns.plainName);
const plainName = str(1, 64, patterns.plainName);
const epgLike = {
  ...namedPolicy, exceptionTag: str(0, 512), floodOnEncap: enabledDisabled('disabled'),
  matchT: oneOf(['All', 'AtleastOne', 'AtmostOne', 'None'], 'AtleastOne'), pcEnfPref: oneOf(['enforced', 'unenforced'], 'unenforced'),
  prefGrMemb: oneOf(['exclude', 'include'], 'exclude'), prio, shutdown: bool('no'),
};
const epgOper = { configIssues: '', configSt: 'applied', isSharedSrvMsiteEPg: 'no', pcTagAllocSrc: 'idmanager', scope: '2097152', triggerSt: 'triggerable', txId: '0' };

export const tenantClasses: ClassEntry[] = [
  cfg('polUni', 'uni', [], {}),
  cfg('fvTenant', 'tn-{name}', ['polUni'], { ...namedPolicy, name: tenantName, ...owned }),
  cfg('fvCtx', 'ctx-{name}', ['fvTenant'], {
    ...namedPolicy, name: plainName, ...owned, bdEnforcedEnable: bool('no'), ipDataPlaneLearning: enabledDisabled('enabled'),
    knwMcastAct: oneOf(['deny', 'permit'], 'permit'), pcEnfDir: oneOf(['egress', 'ingress', 'mixed'], 'ingress'),
    pcEnfPref: oneOf(['enforced', 'unenforced'], 'enforced'), vrfIndex: num(0, 4294967295, '0'),
  }, { oper: { pcEnfDirUpdated: 'yes', pcTag: '16386', scope: '2097152', seg: '2097152', vrfId: '0' } }),
  cfg('vzAny', 'any', ['fvCtx'], {
    annotation, descr, name: optionalName, nameAlias, matchT: oneOf(['All', 'AtleastOne', 'AtmostOne', 'None'], 'AtleastOne'),
    prefGrMemb: enabledDisabled('disabled'),
  }),
  cfg('fvBD', 'BD-{name}', ['fvTenant'], {
    ...namedPolicy, name: plainName, ...owned, OptimizeWanBandwidth: bool('no'), arpFlood: bool('no'), enableRogueExceptMac: bool('no'),
    epClear: bool('no'), epMoveDetectMode: flags(['garp']), hostBasedRouting: bool('no'), intersiteBumTrafficAllow: bool('no'),
    intersiteL2Stretch: bool('no'), ipLearning: bool('yes'), ipv6McastAllow: bool('no'), limitIpLearnToSubnets: bool('yes'),
    llAddr: ip('::'), mac: mac('00:22:BD:F8:19:FF'), mcastARPDrop: bool('yes'), mcastAllow: bool('no'),
    multiDstPktAct: oneOf(['bd-flood', 'drop', 'encap-flood'], 'bd-flood'), serviceBdRoutingDisable: bool('no'),
    type: oneOf(['fc', 'regular'], 'regular'), unicastRoute: bool('yes'), unkMacUcastAct: oneOf(['flood', 'proxy'], 'proxy'),
    unkMcastAct: oneOf(['flood', 'opt-flood'], 'flood'), v6unkMcastAct: oneOf(['flood', 'opt-flood'], 'flood'),
    vmac: mac('not-applicable', ['not-applicable']),
  }, { oper: { bcastP: '225.0.0.16', configIssues: '', mtu: 'inherit', pcTag: '32770', scope: '2097152', seg: '15826915' } }),
  namedRel('fvRsCtx', 'rsctx', ['fvBD'], 'tnFvCtxName', 'fvCtx'),
  cfg('fvSubnet', 'subnet-[{ip}]', ['fvBD', 'fvAEPg'], {
    annotation, descr, ip: ip(), name: optionalName, nameAlias, ctrl: flags(['nd', 'no-default-gateway', 'querier', 'unspecified'], 'nd'),
    ipDPLearning: enabledDisabled('enabled'), preferred: bool('no'), scope: flags(['private', 'public', 'shared'], 'private'),
    virtual: bool('no'),
  }),
  cfg('fvAp', 'ap-{name}', ['fvTenant'], { ...namedPolicy, ...owned, prio }),
  namedRel('fvRsApMonPol', 'rsApMonPol', ['fvAp'], 'tnMonEPGPolName', 'monEPGPol'),
  cfg('fvAEPg', 'epg-{name}', ['fvAp'], {
    ...epgLike, fwdCtrl: flags(['none', 'proxy-arp'], 'none'), hasMcastSource: bool('no'), isAttrBasedEPg: bool('no'),
  }, { oper: { ...epgOper, pcTag: '49153' } }),
  namedRel('fvRsBd', 'rsbd', ['fvAEPg'], 'tnFvBDName', 'fvBD'),
  dnRel('fvRsDomAtt', 'rsdomAtt-[{tDn}]', ['fvAEPg'], 'physDomP', {
    apiMode: oneOf(['mgmt', 'not-applicable', 'policy'], 'mgmt'),
    bindingType: oneOf(['dynamicBinding', 'ephemeral', 'none', 'staticBinding'], 'none'),
    classPref: oneOf(['encap', 'useg'], 'encap'), customEpgName: str(0, 80),
    delimiter: str(0, 1, '^[^a-zA-Z0-9;>"-*`,-.;\\[\\]/\\\\{}:?\\s&<]+$', '', { createOnly: true }), encap: encap(),
    encapMode: oneOf(['auto', 'vlan', 'vxlan'], 'auto'), epgCos: oneOf(['Cos0', 'Cos1', 'Cos2', 'Cos3', 'Cos4', 'Cos5', 'Cos6', 'Cos7'], 'Cos0'),
    epgCosPref: enabledDisabled('disabled'), instrImedcy: oneOf(['immediate', 'lazy'], 'lazy'), ipamDhcpOverride: ip('0.0.0.0'),
    ipamEnabled: bool('no'), ipamGateway: ip('0.0.0.0'), lagPolicyName: str(0, 512), netflowDir: oneOf(['both', 'egress', 'ingress'], 'both'),
    netflowPref: enabledDisabled('disabled'), numPorts: num(0, 65535, ''), portAllocation: oneOf(['elastic', 'fixed', 'none'], 'none'),
    primaryEncap: encap(), primaryEncapInner: encap(), resImedcy: oneOf(['immediate', 'lazy', 'pre-provision'], 'lazy'),
    secondaryEncapInner: encap(), switchingMode: oneOf(['AVE', 'native'], 'native'), untagged: bool('no'), vnetOnly: bool('no'),
  }),
  cfg('fvESg', 'esg-{name}', ['fvAp'], epgLike, { oper: { ...epgOper, pcTag: '49154' } }),
  namedRel('fvRsScope', 'rsscope', ['fvESg'], 'tnFvCtxName', 'fvCtx'),
  cfg('fvEPSelector', 'epselector-[{matchExpression}]', ['fvESg'], {
    annotation, descr, matchExpression: str(1, 512), name: optionalName, nameAlias, ...owned,
  }),
  // Learned endpoints: written by the fabric, not by operators; seeded by the lab.
  oper('fvCEp', 'cep-{mac}', ['fvAEPg', 'l3extInstP'], {
    contName: '', encap: 'vlan-300', id: '0', idepdn: '', ip: '', lcC: 'learned', mcastAddr: 'not-applicable', name: '',
    uuid: '', vmmSrc: '',
  }),
  // An IP the endpoint answered ARP for (its own, or a service IP an L2 announcement holds).
  oper('fvIp', 'ip-[{addr}]', ['fvCEp'], { addr: '', createTs: '', debugMessage: '', flags: '' }),
  oper('fvRsCEpToPathEp', 'rscEpToPathEp-[{tDn}]', ['fvCEp'], {
    forceResolve: 'yes', rType: 'mo', state: 'formed', stateQual: 'none', tCl: 'fabricPathEp', tType: 'mo',
  }),
  cfg('bgpBestPathCtrlPol', 'bestpath-{name}', ['fvTenant'], { ...namedPolicy, ...owned, ctrl: flags(['asPathMultipathRelax', 'ignoreIgpMetric']) }),
  // BGP timers and graceful restart (cisco.aci aci_bgp_timers_policy): referenced from bgpProtP.
  cfg('bgpCtxPol', 'bgpCtxP-{name}', ['fvTenant'], {
    ...namedPolicy, ...owned, grCtrl: flags(['complete', 'helper'], 'helper'), holdIntvl: num(3, 3600, '180'),
    kaIntvl: num(1, 3600, '60'), maxAsLimit: num(0, 2000, '0'), staleIntvl: num(1, 3600, '300'),
  }),
  // Max-prefix policy (bgpRsPeerPfxPol points at it; the APIC's implicit relation names `default`).
  cfg('bgpPeerPfxPol', 'bgpPfxP-{name}', ['fvTenant'], {
    ...namedPolicy, ...owned, action: oneOf(['log', 'reject', 'restart', 'shut'], 'reject'), maxPfx: num(1, 300000, '20000'),
    restartTime: num(1, 65535, 'infinite', ['infinite']), thresh: num(1, 100, '75'),
  }),
  cfg('bfdIfPol', 'bfdIfPol-{name}', ['fvTenant'], {
    ...namedPolicy, ...owned, adminSt: enabledDisabled('enabled'), ctrl: flags(['opt-subif']), detectMult: num(1, 50, '3'),
    echoAdminSt: enabledDisabled('enabled'), echoRxIntvl: num(50, 999, '50'), minRxIntvl: num(50, 999, '50'), minTxIntvl: num(50, 999, '50'),
  }),
  cfg('tagAnnotation', 'annotationKey-[{key}]', ['fvTenant', 'fvCtx', 'l3extOut', 'fvESg', 'l3extInstP'], { key: str(1, 128), value: str(0, 128) }),
  cfg('tagTag', 'tagKey-[{key}]', ['fvTenant', 'fvCtx', 'l3extOut', 'fvESg', 'l3extInstP'], { key: str(1, 128), value: str(0, 128) }),
];

