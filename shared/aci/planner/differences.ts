import type { AciFacts } from '../facts/aci-facts.js';
import type { DesiredMo } from '../model/aci-mo.js';
import { currentValue, sameValue } from './current.js';

// Desired objects against the facts: what to create, and which attributes of existing objects
// to change. Only the change's own objects (and policies) are kept at their desired attributes;
// tenants, VRFs, containers and parts are created when missing and otherwise left alone.

export interface AttributeChange {
  readonly attribute: string;
  readonly from: string;
  readonly to: string;
}

export interface Modification {
  readonly mo: DesiredMo;
  readonly changes: ReadonlyArray<AttributeChange>;
}

// Ownership markers are written once, at creation: re-planning must not claim an operator's object.
const markers = ['annotation'];

export function plannedCreations(desired: ReadonlyArray<DesiredMo>, facts: AciFacts): DesiredMo[] {
  return desired.filter((mo) => !facts.mos[mo.dn]);
}

export function plannedModifications(desired: ReadonlyArray<DesiredMo>, facts: AciFacts): Modification[] {
  return desired.flatMap((mo) => {
    const current = facts.mos[mo.dn];
    if (!current || (mo.role !== 'owned' && mo.role !== 'policy')) return [];
    const skip = new Set([...markers, ...(mo.createOnly ?? [])]);
    const changes = Object.entries(mo.attrs)
      .filter(([attribute]) => !skip.has(attribute))
      .map(([attribute, to]) => ({ attribute, from: currentValue(current, attribute), to }))
      .filter((c) => !sameValue(c.from, c.to));
    return changes.length > 0 ? [{ mo, changes }] : [];
  });
}
