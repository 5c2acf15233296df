import type { AciClassDef } from './classes.js';

// The data behind shared/aci/classes.ts. RN formats and attribute names come from the cisco.aci
// collection (module payloads, `aci_rn`), APIC captures in public repos and reference/aci.md;
// defaults are what an APIC fills in, so that a GET after a sparse POST looks like the real thing
// and Ansible's attribute-by-attribute idempotency diff holds. Entries marked [U] are plausible
// but not verified against a capture.

type Entry = Omit<AciClassDef, 'oper' | 'createOnly' | 'writeOnly'> & Partial<Pick<AciClassDef, 'oper' | 'createOnly' | 'writeOnly'>>;

const base = { annotation: '' };
const named = { ...base, descr: '', name: '', nameAlias: '' };
const owned = { ownerKey: '', ownerTag: '' };
const relOper = { forceResolve: 'yes', rType: 'mo', state: 'formed', stateQual: 'none', tCl: '', tType: 'mo' };
const namedRelOper = { ...relOper, tContextDn: '', tDn: '', tRn: '', tType: 'name' };

function cfg(className: string, rn: string, parents: string[], config: Record<string, string>, extra: Partial<Entry> = {}): Entry {
  return { className, rn, parents, kind: 'config', config, ...extra };
}
function oper(className: string, rn: string, parents: string[], attrs: Record<string, string>): Entry {
  return { className, rn, parents, kind: 'oper', config: {}, oper: attrs };
}
/** A relation by name (tnXName), resolved within the tenant then `common`. */
function namedRel(className: string, rn: string, parents: string[], prop: string, targetClass: string): Entry {
  return cfg(className, rn, parents, { ...base, [prop]: '' }, { oper: namedRelOper, relation: { prop, targetClass } });
}
/** A relation by DN (tDn); the target may be missing (APIC keeps it as missing-target). */
function dnRel(className: string, rn: string, parents: string[], targetClass: string, config: Record<string, string> = {}): Entry {
  return cfg(className, rn, parents, { ...base, tDn: '', ...config }, { oper: relOper, relation: { prop: 'tDn', targetClass } });
}

const tenantTree: Entry[] = [
  cfg('polUni', 'uni', [], {}),
  cfg('fvTenant', 'tn-{name}', ['polUni'], { ...named, ...owned }),
  cfg('fvCtx', 'ctx-{name}', ['fvTenant'], {
    ...named, ...owned, bdEnforcedEnable: 'no', ipDataPlaneLearning: 'enabled', knwMcastAct: 'permit',
    pcEnfDir: 'ingress', pcEnfPref: 'enforced',
  }, { oper: { pcEnfDirUpdated: 'yes', pcTag: '16386', scope: '2097152', seg: '2097152', vrfIndex: '0' } }),
  cfg('vzAny', 'any', ['fvCtx'], { ...named, matchT: 'AtleastOne', prefGrMemb: 'disabled' }),
  cfg('fvBD', 'BD-{name}', ['fvTenant'], {
    ...named, ...owned, arpFlood: 'no', ipLearning: 'yes', limitIpLearnToSubnets: 'yes', mac: '00:22:BD:F8:19:FF',
    multiDstPktAct: 'bd-flood', type: 'regular', unicastRoute: 'yes', unkMacUcastAct: 'proxy', unkMcastAct: 'flood',
  }, { oper: { pcTag: '32770', scope: '2097152', seg: '15826915' } }),
  namedRel('fvRsCtx', 'rsctx', ['fvBD'], 'tnFvCtxName', 'fvCtx'),
  cfg('fvSubnet', 'subnet-[{ip}]', ['fvBD', 'fvAEPg'], {
    ...named, ctrl: 'nd', ipDPLearning: 'enabled', preferred: 'no', scope: 'private', virtual: 'no',
  }),
  cfg('fvAp', 'ap-{name}', ['fvTenant'], { ...named, ...owned, prio: 'unspecified' }),
  namedRel('fvRsApMonPol', 'rsApMonPol', ['fvAp'], 'tnMonEPGPolName', 'monEPGPol'),
  cfg('fvAEPg', 'epg-{name}', ['fvAp'], {
    ...named, exceptionTag: '', floodOnEncap: 'disabled', fwdCtrl: '', isAttrBasedEPg: 'no', matchT: 'AtleastOne',
    pcEnfPref: 'unenforced', prefGrMemb: 'exclude', prio: 'unspecified', shutdown: 'no',
  }, { oper: { pcTag: '49153', scope: '2097152' } }),
  namedRel('fvRsBd', 'rsbd', ['fvAEPg'], 'tnFvBDName', 'fvBD'),
  dnRel('fvRsDomAtt', 'rsdomAtt-[{tDn}]', ['fvAEPg'], 'physDomP', { encap: 'unknown', instrImedcy: 'lazy', resImedcy: 'lazy' }),
  cfg('fvESg', 'esg-{name}', ['fvAp'], {
    ...named, exceptionTag: '', floodOnEncap: 'disabled', matchT: 'AtleastOne', pcEnfPref: 'unenforced',
    prefGrMemb: 'exclude', prio: 'unspecified', shutdown: 'no',
  }, { oper: { pcTag: '49154', scope: '2097152' } }),
  namedRel('fvRsScope', 'rsscope', ['fvESg'], 'tnFvCtxName', 'fvCtx'),
  cfg('fvEPSelector', 'epselector-[{matchExpression}]', ['fvESg'], { ...named, ...owned }),
  // Learned endpoints: written by the fabric, not by operators; seeded by the lab.
  oper('fvCEp', 'cep-{mac}', ['fvAEPg', 'l3extInstP'], {
    contName: '', encap: 'vlan-300', id: '0', idepdn: '', ip: '', lcC: 'learned', mcastAddr: 'not-applicable', name: '',
    uuid: '', vmmSrc: '',
  }),
  oper('fvRsCEpToPathEp', 'rscEpToPathEp-[{tDn}]', ['fvCEp'], { ...relOper, tCl: 'fabricPathEp' }),
  cfg('bgpBestPathCtrlPol', 'bestpath-{name}', ['fvTenant'], { ...named, ...owned, ctrl: '' }),
  cfg('bfdIfPol', 'bfdIfPol-{name}', ['fvTenant'], {
    ...named, ...owned, adminSt: 'enabled', ctrl: '', detectMult: '3', echoAdminSt: 'enabled', echoRxIntvl: '50',
    minRxIntvl: '50', minTxIntvl: '50',
  }),
  cfg('tagAnnotation', 'annotationKey-[{key}]', ['fvTenant', 'fvCtx', 'l3extOut', 'fvESg', 'l3extInstP'], { value: '' }),
  cfg('tagTag', 'tagKey-[{key}]', ['fvTenant', 'fvCtx', 'l3extOut', 'fvESg', 'l3extInstP'], { value: '' }),
];

const l3outTree: Entry[] = [
  cfg('l3extOut', 'out-{name}', ['fvTenant'], {
    ...named, ...owned, enforceRtctrl: 'export', mplsEnabled: 'no', targetDscp: 'unspecified',
  }),
  namedRel('l3extRsEctx', 'rsectx', ['l3extOut'], 'tnFvCtxName', 'fvCtx'),
  dnRel('l3extRsL3DomAtt', 'rsl3DomAtt', ['l3extOut'], 'l3extDomP'),
  cfg('bgpExtP', 'bgpExtP', ['l3extOut'], { ...base, descr: '', nameAlias: '' }),
  cfg('ospfExtP', 'ospfExtP', ['l3extOut'], { ...base, areaCost: '1', areaCtrl: 'redistribute,summary', areaId: 'backbone', areaType: 'regular', descr: '', multipodInternal: 'no', nameAlias: '' }),
  cfg('eigrpExtP', 'eigrpExtP', ['l3extOut'], { ...base, asn: '1', descr: '', nameAlias: '' }),
  cfg('pimExtP', 'pimextp', ['l3extOut'], { ...base, descr: '', enabledAf: 'ipv4-mcast', name: '', nameAlias: '' }),
  cfg('l3extLNodeP', 'lnodep-{name}', ['l3extOut'], { ...named, ...owned, tag: 'yellow-green', targetDscp: 'unspecified' }, { oper: { configIssues: '' } }),
  dnRel('l3extRsNodeL3OutAtt', 'rsnodeL3OutAtt-[{tDn}]', ['l3extLNodeP'], 'fabricNode', { rtrId: '', rtrIdLoopBack: 'yes' }),
  cfg('l3extLoopBackIfP', 'lbp-[{addr}]', ['l3extRsNodeL3OutAtt'], { ...named }),
  cfg('bgpProtP', 'protp', ['l3extLNodeP'], { ...named }),
  namedRel('bgpRsBestPathCtrlPol', 'rsBestPathCtrlPol', ['bgpProtP'], 'tnBgpBestPathCtrlPolName', 'bgpBestPathCtrlPol'),
  namedRel('bgpRsBgpNodeCtxPol', 'rsbgpNodeCtxPol', ['bgpProtP'], 'tnBgpCtxPolName', 'bgpCtxPol'),
  cfg('l3extLIfP', 'lifp-{name}', ['l3extLNodeP'], { ...named, ...owned, prio: 'unspecified', tag: 'yellow-green' }),
  namedRel('l3extRsNdIfPol', 'rsNdIfPol', ['l3extLIfP'], 'tnNdIfPolName', 'ndIfPol'),
  namedRel('l3extRsIngressQosDppPol', 'rsIngressQosDppPol', ['l3extLIfP'], 'tnQosDppPolName', 'qosDppPol'),
  namedRel('l3extRsEgressQosDppPol', 'rsEgressQosDppPol', ['l3extLIfP'], 'tnQosDppPolName', 'qosDppPol'),
  // Floating SVI: one per anchor leaf; nodeDn and encap name it, so both are fixed at creation.
  cfg('l3extVirtualLIfP', 'vlifp-[{nodeDn}]-[{encap}]', ['l3extLIfP'], {
    ...base, addr: '0.0.0.0', autostate: 'disabled', descr: '', encapScope: 'local', ifInstT: 'ext-svi',
    ipv6Dad: 'enabled', llAddr: '::', mac: '00:22:BD:F8:19:FF', mode: 'regular', mtu: 'inherit', targetDscp: 'unspecified',
  }, { createOnly: ['ifInstT'] }),
  dnRel('l3extRsDynPathAtt', 'rsdynPathAtt-[{tDn}]', ['l3extVirtualLIfP'], 'physDomP', {
    encap: 'unknown', floatingAddr: '0.0.0.0', forgedTransmit: 'Disabled', macChange: 'Disabled', promMode: 'Disabled',
  }),
  cfg('l3extIp', 'addr-[{addr}]', ['l3extVirtualLIfP', 'l3extRsPathL3OutAtt', 'l3extRsDynPathAtt'], { ...named, ipv6Dad: 'enabled' }),
  dnRel('l3extRsPathL3OutAtt', 'rspathL3OutAtt-[{tDn}]', ['l3extLIfP'], 'fabricPathEp', {
    addr: '0.0.0.0', autostate: 'disabled', descr: '', encap: 'unknown', encapScope: 'local', ifInstT: 'unspecified',
    ipv6Dad: 'enabled', llAddr: '::', mac: '00:22:BD:F8:19:FF', mode: 'regular', mtu: 'inherit', targetDscp: 'unspecified',
  }),
  cfg('bgpPeerP', 'peerP-[{addr}]', ['l3extVirtualLIfP', 'l3extRsPathL3OutAtt', 'l3extLNodeP'], {
    ...named, addrTCtrl: 'af-ucast', adminSt: 'enabled', allowedSelfAsCnt: '3', ctrl: '', peerCtrl: '',
    privateASctrl: '', ttl: '1', weight: '0',
  }, { writeOnly: ['password'] }),
  cfg('bgpAsP', 'as', ['bgpPeerP', 'bgpInstPol'], { ...named, asn: '' }),
  cfg('bgpLocalAsnP', 'localasn', ['bgpPeerP'], { ...named, asnPropagate: 'none', localAsn: '' }),
  namedRel('bgpRsPeerPfxPol', 'rspeerPfxPol', ['bgpPeerP'], 'tnBgpPeerPfxPolName', 'bgpPeerPfxPol'),
  dnRel('bgpRsPeerToProfile', 'rspeerToProfile-[{tDn}]-{direction}', ['bgpPeerP'], 'rtctrlProfile'),
  cfg('bfdIfP', 'bfdIfP', ['l3extLIfP'], { ...named, keyId: '1', type: 'none' }, { writeOnly: ['key'] }),
  namedRel('bfdRsIfPol', 'rsIfPol', ['bfdIfP'], 'tnBfdIfPolName', 'bfdIfPol'),
  cfg('l3extInstP', 'instP-{name}', ['l3extOut'], {
    ...named, exceptionTag: '', floodOnEncap: 'disabled', matchT: 'AtleastOne', prefGrMemb: 'exclude',
    prio: 'unspecified', targetDscp: 'unspecified',
  }, { oper: { pcTag: '32772', scope: '2097152' } }),
  cfg('l3extSubnet', 'extsubnet-[{ip}]', ['l3extInstP'], { ...named, aggregate: '', scope: 'import-security' }),
];

const infraTree: Entry[] = [
  cfg('physDomP', 'phys-{name}', ['polUni'], { ...base, name: '', nameAlias: '', ...owned }),
  cfg('l3extDomP', 'l3dom-{name}', ['polUni'], { ...base, name: '', nameAlias: '', ...owned }),
  dnRel('infraRsVlanNs', 'rsvlanNs', ['physDomP', 'l3extDomP'], 'fvnsVlanInstP'),
  cfg('infraInfra', 'infra', ['polUni'], { ...named, ...owned }),
  cfg('fvnsVlanInstP', 'vlanns-[{name}]-{allocMode}', ['infraInfra'], { ...named, ...owned }),
  cfg('fvnsEncapBlk', 'from-[{from}]-to-[{to}]', ['fvnsVlanInstP'], { ...named, allocMode: 'inherit', role: 'external' }),
  cfg('fabricInst', 'fabric', ['polUni'], { ...named, ...owned }),
  cfg('bgpInstPol', 'bgpInstP-{name}', ['fabricInst'], { ...named, ...owned }),
  cfg('bgpRRP', 'rr', ['bgpInstPol'], { ...named }),
  cfg('configExportP', 'configexp-{name}', ['fabricInst'], {
    ...named, ...owned, adminSt: 'untriggered', format: 'json', includeSecureFields: 'yes',
    maxSnapshotCount: 'global-limit', snapshot: 'no', targetDn: '',
  }),
  cfg('configImportP', 'configimp-{name}', ['fabricInst'], {
    ...named, ...owned, adminSt: 'untriggered', failOnDecryptErrors: 'yes', fileName: '', importMode: 'atomic',
    importType: 'merge', snapshot: 'no',
  }),
  // Backups live under uni/backupst and are excluded from /_lab/dump: they are the rollback
  // source, not configuration.
  cfg('configBackupStatusCont', 'backupst', ['polUni'], {}),
  oper('configSnapshotCont', 'snapshots-[{target}]', ['configBackupStatusCont'], { rootDn: '' }),
  cfg('configSnapshot', 'snapshot-{name}', ['configSnapshotCont'], { ...base, descr: '', retire: 'no' }, {
    oper: { createTime: '', fileName: '', rootDn: '', targetDn: '' },
  }),
  oper('configJobCont', 'jobs-[{target}]', ['configBackupStatusCont'], { lastJobName: '' }),
  oper('configJob', 'run-{name}', ['configJobCont'], {
    details: '', executeTime: '', fileName: '', fileSize: '0', lastStepDescr: '', operSt: 'success', type: 'export',
  }),
  cfg('fabricCompCatalog', 'compcat-{name}', ['fabricInst'], {}),
  cfg('fvswCat', 'fvsw-{name}', ['fabricCompCatalog'], {}),
  oper('fvcapCont', 'capabilities', ['fvswCat'], {}),
  // [U] RN: the limits catalogue is read by class or by `query-target=children`, never by DN.
  oper('fvcapRule', 'rule-{subj}', ['fvcapCont'], { constraint: '0', name: '', scope: 'fabric', type: 'limit' }),
];

const topologyTree: Entry[] = [
  oper('fabricTopology', 'topology', [], {}),
  oper('fabricPod', 'pod-{id}', ['fabricTopology'], { podType: 'physical' }),
  oper('fabricNode', 'node-{id}', ['fabricPod'], {
    adSt: 'on', address: '', fabricSt: 'active', model: '', name: '', nodeType: 'unspecified', role: 'leaf',
    serial: '', vendor: 'Cisco Systems, Inc', version: '',
  }),
  oper('topSystem', 'sys', ['fabricNode'], {
    address: '', fabricDomain: '', id: '', inbMgmtAddr: '0.0.0.0', name: '', oobMgmtAddr: '0.0.0.0', podId: '1',
    role: 'leaf', serial: '', state: 'in-service', version: '',
  }),
  oper('firmwareCtrlrFwStatusCont', 'ctrlrfwstatuscont', ['topSystem'], {}),
  oper('firmwareCtrlrRunning', 'ctrlrrunning', ['firmwareCtrlrFwStatusCont'], { type: 'controller', version: '' }),
  oper('firmwareFwStatusCont', 'fwstatuscont', ['topSystem'], {}),
  oper('firmwareRunning', 'running', ['firmwareFwStatusCont'], { peVer: '', type: 'switch', version: '' }),
  oper('bgpEntity', 'bgp', ['topSystem'], { adminSt: 'enabled', operSt: 'enabled' }),
  oper('bgpInst', 'inst', ['bgpEntity'], { adminSt: 'enabled', asn: '', operSt: 'enabled' }),
  oper('bgpDom', 'dom-{name}', ['bgpInst'], { operSt: 'up', rtrId: '' }),
  oper('bgpPeer', 'peer-[{addr}]', ['bgpDom'], { adminSt: 'enabled', asn: '', operSt: 'enabled', peerRole: 'external', type: 'ebgp' }),
  oper('bgpPeerEntry', 'ent-[{addr}]', ['bgpPeer'], {
    connAttempts: '0', connIf: '', flags: '', holdIntvl: '180', kaIntvl: '60', operSt: 'idle', prevOperSt: 'idle',
    rtrId: '0.0.0.0', type: 'ebgp',
  }),
  oper('eqptcapacityEntity', 'eqptcapacity', ['topSystem'], {}),
  oper('eqptcapacityPolUsage5min', 'CDeqptcapacityPolUsage5min', ['eqptcapacityEntity'], {
    cnt: '1', polUsageAvg: '0', polUsageCapAvg: '0', polUsageCapCum: '0', polUsageCum: '0', polUsage: '0', polUsageCap: '0',
    repIntvEnd: '', repIntvStart: '',
  }),
];

export const classCatalog: ReadonlyArray<Entry> = [...tenantTree, ...l3outTree, ...infraTree, ...topologyTree];
