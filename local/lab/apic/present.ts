import { aciClass, namingProps } from '../../../shared/aci/classes.js';
import type { Mo } from './mit.js';

// How an MO looks on the wire: every value a string, `dn` present, and the volatile properties a
// real APIC always sends (`childAction:""`, `status:""`, `modTs`, …) unless the query asked for
// config-only or naming-only properties.

export type PropInclude = 'all' | 'config-only' | 'naming-only';

export interface MoJsonOut {
  [className: string]: { attributes: Record<string, string>; children?: MoJsonOut[] };
}

function sortedRecord(rec: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(rec).sort()) out[k] = rec[k] ?? '';
  return out;
}

function naming(mo: Mo): string[] {
  return aciClass(mo.className) ? namingProps(mo.className) : [];
}

/** Config props of the MO: naming + the class's config props; unknown classes keep everything. */
export function configAttrs(mo: Mo): Record<string, string> {
  const def = aciClass(mo.className);
  if (!def) return { ...mo.attrs };
  const keep = new Set([...naming(mo), ...Object.keys(def.config)]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(mo.attrs)) if (keep.has(k)) out[k] = v;
  return out;
}

export function moAttributes(mo: Mo, include: PropInclude): Record<string, string> {
  if (include === 'naming-only') {
    const out: Record<string, string> = { dn: mo.dn };
    for (const p of naming(mo)) out[p] = mo.attrs[p] ?? '';
    return sortedRecord(out);
  }
  if (include === 'config-only') return sortedRecord({ ...configAttrs(mo), dn: mo.dn });
  const isConfig = aciClass(mo.className)?.kind !== 'oper';
  const volatile: Record<string, string> = isConfig
    ? { childAction: '', extMngdBy: '', lcOwn: 'local', modTs: mo.modTs, status: '', uid: '15374', userdom: ':all:' }
    : { childAction: '', lcOwn: 'local', modTs: mo.modTs, status: '' };
  return sortedRecord({ ...mo.attrs, ...volatile, dn: mo.dn });
}

export function moJson(mo: Mo, include: PropInclude, children?: MoJsonOut[]): MoJsonOut {
  const body: { attributes: Record<string, string>; children?: MoJsonOut[] } = { attributes: moAttributes(mo, include) };
  if (children && children.length > 0) body.children = children;
  return { [mo.className]: body };
}
