import { canonicalJson } from '../../../../shared/canonical-json.js';
import { aciClass, namingProps, rnFor, writableProps } from '../../../../shared/aci/classes.js';
import { childDn, isWithin, parentDn } from '../../../../shared/aci/dn.js';
import type { AciFacts } from '../../../../shared/aci/index.js';
import { restorableAttrs } from '../../../../shared/aci/planner/current.js';
import type { ApicRequest, MoJson } from '../../../../shared/plan/index.js';

// A test double of the APIC's write semantics, small enough to trust by reading: one POST is one
// transaction; `created` fails on an existing MO, `modified` on a missing one, `deleted` removes
// the subtree; children are placed by parent DN + RN; omitted properties take the class default;
// properties the class does not have are refused. It answers subtree reads the way a real APIC
// does (children carry `rn`, volatile properties included), so facts can be re-gathered.

interface Stored {
  className: string;
  attrs: Record<string, string>;
}

export class TinyApicError extends Error {
  override readonly name = 'TinyApicError' as const;
}

export class TinyApic {
  private mos = new Map<string, Stored>();

  /** Seeds the tree with the config attributes of captured facts (oper attributes are not stored). */
  constructor(seed: AciFacts['mos'] = {}) {
    for (const [dn, mo] of Object.entries(seed)) this.mos.set(dn, { className: mo.className, attrs: restorableAttrs(mo) });
  }

  apply(request: ApicRequest): void {
    const staged = new Map([...this.mos].map(([dn, mo]) => [dn, { className: mo.className, attrs: { ...mo.attrs } }]));
    if (request.method === 'DELETE') removeSubtree(staged, request.dn);
    else if (request.body) write(staged, request.dn, request.body);
    this.mos = staged;
  }

  has(dn: string): boolean {
    return this.mos.has(dn);
  }

  get(dn: string): Stored | undefined {
    return this.mos.get(dn);
  }

  /** The configuration as canonical JSON, like the lab's GET /_lab/dump. */
  dump(): string {
    return canonicalJson(Object.fromEntries([...this.mos].sort(([a], [b]) => (a < b ? -1 : 1))));
  }

  /** A `rsp-subtree=full` answer for `rootDn`, shaped like a real capture. */
  imdata(rootDn: string): unknown[] {
    const render = (dn: string, top: boolean): MoJson => {
      const mo = this.mos.get(dn) as Stored;
      const kids = [...this.mos.keys()].filter((d) => parentDn(d) === dn).sort().map((d) => render(d, false));
      const where: Record<string, string> = top ? { dn } : { rn: dn.slice(parentDn(dn).length + 1) };
      const attributes: Record<string, string> = { ...mo.attrs, ...where, childAction: '', status: '', modTs: '2025-05-12T10:00:00.000+00:00', lcOwn: 'local', uid: '15374' };
      return { [mo.className]: kids.length > 0 ? { attributes, children: kids } : { attributes } };
    };
    return this.mos.has(rootDn) ? [render(rootDn, true)] : [];
  }
}

function write(mos: Map<string, Stored>, dn: string, body: MoJson): void {
  const [className, node] = Object.entries(body)[0] ?? [];
  if (!className || !node) throw new TinyApicError(`empty body at ${dn}`);
  const def = aciClass(className);
  const { status = '', dn: _dn, ...given } = node.attributes;
  if (!def) {
    // Classes outside the registry (auto-created relations) arrive with their DN.
    if (_dn !== dn) throw new TinyApicError(`unknown class ${className} without its dn`);
    mos.set(dn, { className, attrs: given });
    return;
  }
  for (const key of Object.keys(given)) {
    if (!writableProps(className).has(key)) throw new TinyApicError(`unknown attribute '${key}' in element '${className}'`);
  }
  if (status.includes('deleted')) {
    removeSubtree(mos, dn);
    return;
  }
  const existing = mos.get(dn);
  if (status === 'created' && existing) throw new TinyApicError(`103 object ${dn} already exists`);
  if (status === 'modified' && !existing) throw new TinyApicError(`object ${dn} does not exist`);
  if (parentDn(dn) !== 'uni' && dn !== 'uni' && !mos.has(parentDn(dn))) throw new TinyApicError(`parent of ${dn} does not exist`);
  const naming = Object.fromEntries(namingProps(className).map((p) => [p, given[p] ?? '']));
  mos.set(dn, { className, attrs: { ...(existing?.attrs ?? { ...def.config }), ...naming, ...given } });
  for (const child of node.children ?? []) {
    const [childClass, childNode] = Object.entries(child)[0] ?? [];
    if (!childClass || !childNode) throw new TinyApicError(`empty child under ${dn}`);
    const placed = childNode.attributes.dn ?? childDn(dn, rnFor(childClass, childNode.attributes));
    write(mos, placed, child);
  }
}

function removeSubtree(mos: Map<string, Stored>, dn: string): void {
  for (const key of [...mos.keys()]) if (isWithin(key, dn)) mos.delete(key);
}
