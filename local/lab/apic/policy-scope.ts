import { aciClass } from '../../../shared/aci/classes.js';
import { isWithin } from '../../../shared/aci/dn.js';
import type { Mit, Mo } from './mit.js';
import { configAttrs } from './present.js';

// What counts as "the configuration" for /_lab/dump, snapshots and rollback imports: config MOs
// under uni/, without the backup machinery itself (uni/backupst, export and import policies) —
// otherwise taking a snapshot would change the very state it is meant to restore.

const machinery = new Set(['configExportP', 'configImportP', 'configBackupStatusCont']);

export function isPolicyMo(mo: Mo): boolean {
  if (!isWithin(mo.dn, 'uni') || isWithin(mo.dn, 'uni/backupst')) return false;
  if (machinery.has(mo.className)) return false;
  return aciClass(mo.className)?.kind !== 'oper';
}

export function policyMos(mit: Mit): Mo[] {
  return mit.subtree('uni').filter(isPolicyMo);
}

/** `{dn: {class: configAttrs}}`, the canonical object behind GET /_lab/dump. */
export function dumpPolicy(mit: Mit): Record<string, Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  for (const mo of policyMos(mit)) out[mo.dn] = { [mo.className]: configAttrs(mo) };
  return out;
}
