import * as z from '../../zod.js';
import { annotation, AttrSpec, dnRef, targetName } from './attr.js';

// One table per APIC class: how it is named in the tree (RN format), where it may sit, and its
// properties with their types and defaults. Operational classes carry the read-only values a GET
// shows instead. Relation classes name their target; `implicit` children are created by the APIC
// itself with the parent (e.g. bgpRsPeerPfxPol under every bgpPeerP).

export const ClassEntry = z.object({
  className: z.string().check(z.minLength(1)),
  /** RN format: literals plus `{prop}`; `[{prop}]` means the value is always bracketed. */
  rn: z.string().check(z.minLength(1)),
  /** Parent classes this class may sit under; empty for a root (polUni, fabricTopology). */
  parents: z.array(z.string()),
  /** config: policy the operator writes; oper: state the fabric reports (read-only). */
  kind: z.enum(['config', 'oper']),
  /** Every property a POST may set, naming properties included. */
  attrs: z.record(z.string(), AttrSpec),
  /** Non-config properties `rsp-prop-include=all` also shows (pcTag, relation state, counters). */
  oper: z._default(z.record(z.string(), z.string()), {}),
  /** Relation MOs: the property that names the target, how (`name`: tnXName, `dn`: tDn), the target's class. */
  relation: z.optional(z.object({ prop: z.string(), by: z.enum(['name', 'dn']), targetClass: z.string() })),
  /** Children the APIC creates with their defaults when the parent is created. */
  implicit: z._default(z.array(z.string()), []),
});
export type ClassEntry = z.input<typeof ClassEntry>;

type Extra = Partial<Pick<ClassEntry, 'oper' | 'relation' | 'implicit'>>;

export function cfg(className: string, rn: string, parents: string[], attrs: Record<string, AttrSpec>, extra: Extra = {}): ClassEntry {
  return { className, rn, parents, kind: 'config', attrs, ...extra };
}

export function oper(className: string, rn: string, parents: string[], values: Record<string, string>): ClassEntry {
  return { className, rn, parents, kind: 'oper', attrs: {}, oper: values };
}

/** How the APIC shows a relation it resolved; tCl/tDn/state are filled in by the lab's resolver. */
const relationState = { forceResolve: 'yes', rType: 'mo', state: 'missing-target', stateQual: 'none', tCl: '', tType: 'mo' };

/** A relation by name (tnXName), resolved within the tenant, then in `common`; '' means `default`. */
export function namedRel(className: string, rn: string, parents: string[], prop: string, targetClass: string): ClassEntry {
  return cfg(className, rn, parents, { annotation, [prop]: targetName }, {
    oper: { ...relationState, tCl: targetClass, tContextDn: '', tDn: '', tRn: '', tType: 'name' },
    relation: { prop, by: 'name', targetClass },
  });
}

/** A relation by DN (tDn); the target may be missing (the APIC keeps it as missing-target). */
export function dnRel(className: string, rn: string, parents: string[], targetClass: string, attrs: Record<string, AttrSpec> = {}): ClassEntry {
  return cfg(className, rn, parents, { annotation, tDn: dnRef(), ...attrs }, {
    oper: { ...relationState, tCl: targetClass },
    relation: { prop: 'tDn', by: 'dn', targetClass },
  });
}
