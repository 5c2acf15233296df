import * as z from '../../zod.js';
import { ChangeflowError } from '../../errors.js';
import { aciClass, InvalidRn, rnFor, volatileAttrs } from '../classes.js';
import { childDn } from '../dn.js';
import type { AciMo } from '../model/aci-mo.js';

// APIC answers, however they were captured (imdata envelopes, bare imdata arrays, class or
// subtree queries, several files), turned into one flat list of MOs with their DNs. Children in
// subtree answers carry `rn` and no `dn`; their DN is the parent's DN plus the RN.

export class InvalidAciFacts extends ChangeflowError {
  override readonly name = 'InvalidAciFacts' as const;
}

const MoBody = z.object({
  attributes: z.record(z.string(), z.string(), { error: 'APIC attributes are strings' }),
  children: z.optional(z.array(z.unknown())),
});

const Envelope = z.object({ imdata: z.array(z.unknown()) });

// Answer items that are not managed objects: counts and error reports.
const notMos = new Set(['moCount', 'error']);
const dropped = new Set([...volatileAttrs, 'dn']);

export function flattenImdata(items: ReadonlyArray<unknown>): AciMo[] {
  const byDn = new Map<string, AciMo>();
  const add = (mo: AciMo) => {
    const seen = byDn.get(mo.dn);
    if (seen) Object.assign(seen.attrs, mo.attrs);
    else byDn.set(mo.dn, mo);
  };
  const visit = (item: unknown, parent: string | undefined, where: string) => {
    if (Array.isArray(item)) return item.forEach((x, i) => visit(x, parent, `${where}[${i}]`));
    const envelope = Envelope.safeParse(item);
    if (envelope.success) return envelope.data.imdata.forEach((x, i) => visit(x, parent, `${where}.imdata[${i}]`));
    if (item === null || typeof item !== 'object') {
      throw new InvalidAciFacts(`expected an APIC object {"<class>": {"attributes": {…}}} at ${where}, found ${JSON.stringify(item)}; pass imdata items or envelopes`);
    }
    const entries = Object.entries(item);
    const [className, raw] = entries[0] ?? [];
    if (entries.length !== 1 || className === undefined) {
      throw new InvalidAciFacts(`expected exactly one class name at ${where}, found ${entries.length} keys; pass imdata items as the APIC returns them`);
    }
    if (notMos.has(className)) return;
    const body = MoBody.safeParse(raw);
    if (!body.success) {
      const issue = body.error.issues[0];
      throw new InvalidAciFacts(`expected ${where}.${className} to hold string attributes, found a problem at ${[className, ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'bad shape'}; pass the APIC answer unchanged`);
    }
    const attrs = body.data.attributes;
    const dn = attrs.dn ?? (parent !== undefined ? childRn(parent, className, attrs) : undefined);
    // Without a DN (a class unknown to the registry, answered without `rn`) the MO and its
    // subtree cannot be placed; they are not objects the model reads.
    if (dn === undefined) return;
    add({ className, dn, attrs: Object.fromEntries(Object.entries(attrs).filter(([k]) => !dropped.has(k))) });
    (body.data.children ?? []).forEach((child, i) => visit(child, dn, `${where}.${className}.children[${i}]`));
  };
  items.forEach((item, i) => visit(item, undefined, `[${i}]`));
  return [...byDn.values()];
}

function childRn(parent: string, className: string, attrs: Record<string, string>): string | undefined {
  if (attrs.rn) return childDn(parent, attrs.rn);
  // Answers trimmed by rsp-prop-include may lack `rn`; the naming properties still rebuild it.
  if (!aciClass(className)) return undefined;
  try {
    return childDn(parent, rnFor(className, attrs));
  } catch (err) {
    if (err instanceof InvalidRn) return undefined;
    throw err;
  }
}
