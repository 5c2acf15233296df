import type { ApicRequest, DiffLine, PlanOp, Readback } from '../../plan/index.js';
import type { AciFacts } from '../facts/aci-facts.js';
import type { AciMo, DesiredMo } from '../model/aci-mo.js';
import { moTree } from '../model/mo-tree.js';
import { withSecrets } from '../model/secret-ref.js';
import { aciClass } from '../classes.js';
import { isWithin } from '../dn.js';
import { namingAttrs, restorableAttrs, subtreeOf } from './current.js';
import type { Modification } from './differences.js';
import type { Removal } from './removals.js';

// One POST per action and tenant: the whole batch nests under the tenant (`POST
// /api/mo/uni/tn-T.json`), each object with the status that makes the APIC refuse stale plans
// (`created` fails if it exists, `modified` if it is gone). Each op's inverse is one POST too.

// Write-only attributes travel as references (model/secret-ref.ts): the body holds no value.
const post = (rootDn: string, given: AciMo[], clearing = false): ApicRequest => {
  const { entries, secrets } = withSecrets(given, clearing);
  return { kind: 'apic', method: 'POST', dn: rootDn, body: moTree(rootDn, entries), ...(secrets.length > 0 ? { secrets } : {}) };
};
const withStatus = (mo: AciMo, status: string): AciMo => ({ ...mo, attrs: { ...mo.attrs, status } });
const present = (dn: string, attributes: Record<string, string>): Readback => ({ target: 'apic', dn, attributes, absent: false });
const absent = (dn: string): Readback => ({ target: 'apic', dn, absent: true });
const oneChange = (changes: ReadonlyArray<number>) => (new Set(changes).size === 1 ? { change: changes[0] as number } : {});
const tenantName = (rootDn: string) => rootDn.replace(/^uni\/tn-/, '');

export function createOp(rootDn: string, wanted: ReadonlyArray<DesiredMo>): PlanOp {
  // DN order is tree order (a parent's DN prefixes its children's) and reads well in the diff.
  const created = [...wanted].sort((a, b) => (a.dn < b.dn ? -1 : a.dn > b.dn ? 1 : 0));
  const dns = new Set(created.map((mo) => mo.dn));
  const isTop = (mo: AciMo) => ![...dns].some((other) => other !== mo.dn && isWithin(mo.dn, other));
  const tops = created.filter(isTop);
  const entries = created.map((mo) => (isTop(mo) ? withStatus(mo, 'created') : mo)).map(({ className, dn, attrs }) => ({ className, dn, attrs }));
  return {
    id: `aci.create.${tenantName(rootDn)}`,
    target: 'apic',
    action: 'create',
    summary: `create ${created.length} APIC objects in ${rootDn}`,
    request: post(rootDn, entries),
    inverse: [post(rootDn, tops.map((mo) => ({ className: mo.className, dn: mo.dn, attrs: { ...namingAttrs(mo.className, mo.attrs), status: 'deleted' } })))],
    readback: created.map((mo) => present(mo.dn, mo.attrs)),
    inverseReadback: tops.map((mo) => absent(mo.dn)),
    diff: created.map((mo): DiffLine => ({ sign: '+', ref: mo.dn })),
    ...oneChange(created.map((mo) => mo.change)),
  };
}

export function modifyOp(rootDn: string, modified: ReadonlyArray<Modification>): PlanOp {
  const values = (m: Modification, side: 'from' | 'to') => Object.fromEntries(m.changes.map((c) => [c.attribute, c[side]]));
  const entry = (m: Modification, side: 'from' | 'to'): AciMo =>
    withStatus({ className: m.mo.className, dn: m.mo.dn, attrs: { ...namingAttrs(m.mo.className, m.mo.attrs), ...values(m, side) } }, 'modified');
  const count = modified.reduce((n, m) => n + m.changes.length, 0);
  return {
    id: `aci.modify.${tenantName(rootDn)}`,
    target: 'apic',
    action: 'modify',
    summary: `modify ${count} attributes of ${modified.length} APIC objects in ${rootDn}`,
    request: post(rootDn, modified.map((m) => entry(m, 'to')), true),
    inverse: [post(rootDn, modified.map((m) => entry(m, 'from')), true)],
    readback: modified.map((m) => present(m.mo.dn, values(m, 'to'))),
    inverseReadback: modified.map((m) => present(m.mo.dn, values(m, 'from'))),
    diff: modified.flatMap((m) => m.changes.map((c): DiffLine => ({ sign: '~', ref: m.mo.dn, attribute: c.attribute, from: c.from, to: c.to }))),
    ...oneChange(modified.map((m) => m.mo.change)),
  };
}

export function deleteOp(rootDn: string, removals: ReadonlyArray<Removal>, facts: AciFacts): PlanOp {
  const removed = removals.flatMap((r) => subtreeOf(facts, r.dn));
  const tops = new Set(removals.map((r) => r.dn));
  const recreate = removed.map(([dn, mo]): AciMo => {
    // Without a registry entry the RN format is unknown here; the APIC places the MO by its DN.
    const attrs = aciClass(mo.className) ? restorableAttrs(mo) : { ...restorableAttrs(mo), dn };
    return { className: mo.className, dn, attrs: tops.has(dn) ? { ...attrs, status: 'created' } : attrs };
  });
  const gone = removals.map((r): AciMo => {
    const mo = facts.mos[r.dn];
    const className = mo?.className ?? '';
    return { className, dn: r.dn, attrs: { ...namingAttrs(className, mo?.attrs ?? {}), status: 'deleted' } };
  });
  return {
    id: `aci.delete.${tenantName(rootDn)}`,
    target: 'apic',
    action: 'delete',
    summary: `delete ${removals.length} APIC subtrees (${removed.length} objects) in ${rootDn}`,
    request: post(rootDn, gone),
    inverse: [post(rootDn, recreate)],
    readback: removals.map((r) => absent(r.dn)),
    inverseReadback: removed.map(([dn, mo]) => present(dn, restorableAttrs(mo))),
    diff: removed.map(([dn]): DiffLine => ({ sign: '-', ref: dn })),
    ...oneChange(removals.map((r) => r.change)),
  };
}
