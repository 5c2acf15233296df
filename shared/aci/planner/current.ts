import { aciClass, knownClasses, namingProps, requireAciClass, volatileAttrs, writableProps } from '../classes.js';
import { isWithin, lastRn } from '../dn.js';
import type { AciFacts, MoFact } from '../facts/aci-facts.js';

// Reading the facts' config tree the way the planner needs it: an attribute's current value
// (the APIC default when a capture left it out), subtrees, and the attributes that recreate an
// object exactly as it was.

const operAttrs = new Set(knownClasses().flatMap((c) => Object.keys(requireAciClass(c).oper)));

export function currentValue(mo: MoFact, attr: string): string {
  return mo.attrs[attr] ?? aciClass(mo.className)?.config[attr] ?? '';
}

/** Comma lists (ctrl, peerCtrl, scope) are sets: the APIC may answer them in another order. */
export function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.includes(',') && !b.includes(',')) return false;
  const norm = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean).sort().join(',');
  return norm(a) === norm(b);
}

/** The MOs of the facts at or below `dn`, parents before children. */
export function subtreeOf(facts: AciFacts, dn: string): Array<[string, MoFact]> {
  return Object.entries(facts.mos)
    .filter(([d]) => isWithin(d, dn))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Attributes a POST may carry to recreate the MO as captured (config only, nothing volatile). */
export function restorableAttrs(mo: MoFact): Record<string, string> {
  const def = aciClass(mo.className);
  const keep = def
    ? (k: string) => writableProps(mo.className).has(k) && !['dn', 'rn', 'status'].includes(k) && !def.writeOnly.includes(k)
    : (k: string) => !volatileAttrs.includes(k) && !operAttrs.has(k) && k !== 'dn';
  return Object.fromEntries(Object.entries(mo.attrs).filter(([k]) => keep(k)));
}

/** The naming attributes of an MO (what places it under its parent in a nested POST). */
export function namingAttrs(className: string, attrs: Readonly<Record<string, string>>): Record<string, string> {
  if (!aciClass(className)) return {};
  return Object.fromEntries(namingProps(className).flatMap((p) => (attrs[p] !== undefined ? [[p, attrs[p] as string]] : [])));
}

/** A child that is one of many (its RN carries a name) rather than a singleton part of its parent. */
export function isNamedChild(dn: string, className: string): boolean {
  return aciClass(className) ? namingProps(className).length > 0 : lastRn(dn).includes('-');
}
