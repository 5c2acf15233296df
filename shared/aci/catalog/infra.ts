import {
  annotation, bool, descr, dnRef, encap, nameAlias, namedPolicy, num, oneOf, optionalName, owned, policyName, str,
} from './attr.js';
import { cfg, dnRel, oper, type ClassEntry } from './entry.js';

// Fabric access and fabric-wide policy: domains and VLAN pools, the fabric BGP instance, the
// snapshot (export) and rollback (import) policies with the backup records under uni/backupst,
// and the limits catalogue. infraRsVlanNs follows the APIC class metadata exactly.

const domain = { annotation, name: policyName, nameAlias, ...owned };
const trigger = oneOf(['triggered', 'untriggered'], 'untriggered');

export const infraClasses: ClassEntry[] = [
  cfg('physDomP', 'phys-{name}', ['polUni'], domain),
  cfg('l3extDomP', 'l3dom-{name}', ['polUni'], domain),
  dnRel('infraRsVlanNs', 'rsvlanNs', ['physDomP', 'l3extDomP'], 'fvnsVlanInstP'),
  cfg('infraInfra', 'infra', ['polUni'], { annotation, descr, name: optionalName, nameAlias, ...owned }),
  cfg('fvnsVlanInstP', 'vlanns-[{name}]-{allocMode}', ['infraInfra'], {
    ...namedPolicy, ...owned, allocMode: oneOf(['dynamic', 'static'], 'dynamic'),
  }),
  cfg('fvnsEncapBlk', 'from-[{from}]-to-[{to}]', ['fvnsVlanInstP'], {
    annotation, descr, name: optionalName, nameAlias, from: encap(), to: encap(),
    allocMode: oneOf(['dynamic', 'inherit', 'static'], 'inherit'), role: oneOf(['external', 'internal'], 'external'),
  }),
  cfg('fabricInst', 'fabric', ['polUni'], { annotation, descr, name: optionalName, nameAlias, ...owned }),
  cfg('configExportP', 'configexp-{name}', ['fabricInst'], {
    ...namedPolicy, ...owned, adminSt: trigger, format: oneOf(['json', 'xml'], 'json'), includeSecureFields: bool('yes'),
    maxSnapshotCount: num(1, 10, 'global-limit', ['global-limit']), snapshot: bool('no'), targetDn: dnRef(),
  }),
  cfg('configImportP', 'configimp-{name}', ['fabricInst'], {
    ...namedPolicy, ...owned, adminSt: trigger, failOnDecryptErrors: bool('yes'), fileName: str(0, 256),
    importMode: oneOf(['atomic', 'best-effort'], 'atomic'), importType: oneOf(['merge', 'replace'], 'merge'), snapshot: bool('no'),
  }),
  // Backups live under uni/backupst and are excluded from /_lab/dump: they are the rollback
  // source, not configuration.
  cfg('configBackupStatusCont', 'backupst', ['polUni'], {}),
  oper('configSnapshotCont', 'snapshots-[{target}]', ['configBackupStatusCont'], { rootDn: '' }),
  cfg('configSnapshot', 'snapshot-{name}', ['configSnapshotCont'], { annotation, descr, name: str(1, 128), retire: bool('no') }, {
    oper: { createTime: '', fileName: '', rootDn: '', targetDn: '' },
  }),
  oper('configJobCont', 'jobs-[{target}]', ['configBackupStatusCont'], { lastJobName: '' }),
  oper('configJob', 'run-{name}', ['configJobCont'], {
    details: '', executeTime: '', fileName: '', fileSize: '0', lastStepDescr: '', operSt: 'success', type: 'export',
  }),
  cfg('fabricCompCatalog', 'compcat-{name}', ['fabricInst'], { name: policyName }),
  cfg('fvswCat', 'fvsw-{name}', ['fabricCompCatalog'], { name: policyName }),
  oper('fvcapCont', 'capabilities', ['fvswCat'], {}),
  // [U] RN: the limits catalogue is read by class or by `query-target=children`, never by DN.
  oper('fvcapRule', 'rule-{subj}', ['fvcapCont'], { constraint: '0', name: '', scope: 'fabric', type: 'limit' }),
];
