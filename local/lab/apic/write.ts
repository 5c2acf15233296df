import { childDn, isWithin, lastRn, parentDn } from '../../../shared/aci/dn.js';
import { checkAttr } from '../../../shared/aci/attr-check.js';
import {
  aciClass, canonicalDn, classOfDn, InvalidRn, namingProps, rnFor, tryParseRn, UnknownAciClass, writableProps, type AciClassDef,
} from '../../../shared/aci/classes.js';
import type { BodyNode } from './body.js';
import { apicErrors } from './lab-error.js';
import type { Mit, Mo } from './mit.js';
import type { MoJsonOut } from './present.js';
import { checkRules } from './rules.js';
import { Txn } from './txn.js';

// POST /api/mo/<dn>: the posted subtree is validated as a whole against the staged tree
// (class, attributes and their values against the class model, status, naming, create-only
// props, parents, VRF rules) and applied in one commit, so a 400 anywhere means nothing changed —
// as on a real APIC. The body may name the URL's MO or a descendant of it (cisco.aci posts a
// tenant to /api/mo/uni.json); new MOs get the children an APIC creates by itself.

export type ChangeStatus = 'created' | 'modified' | 'deleted';

export interface Change {
  dn: string;
  className: string;
  status: ChangeStatus;
}

export interface WriteResult {
  changes: Change[];
  /** The posted tree with a `status` on what changed, for `rsp-subtree=modified`. */
  modified: MoJsonOut[];
}

const statuses = new Set(['', 'created', 'modified', 'created,modified', 'modified,created', 'deleted']);

function resolveCanonical(dn: string): string {
  try {
    return canonicalDn(dn);
  } catch (err) {
    if (err instanceof InvalidRn) throw apicErrors.badRequest(`Invalid DN ${dn}: ${err.message}`);
    throw err;
  }
}

/**
 * The posted properties as the APIC stores them: each value checked against its type (120 / 801
 * with the APIC's texts) and canonicalised, naming values from the RN included; write-only
 * properties (passwords) are kept apart: never answered on a GET.
 */
function checkedAttrs(def: AciClassDef, attrs: Record<string, string>, naming: Record<string, string>, dn: string): { given: Record<string, string>; writeOnly: Record<string, string> } {
  const rn = lastRn(dn);
  const given: Record<string, string> = {};
  const writeOnly: Record<string, string> = {};
  for (const [prop, value] of Object.entries({ ...naming, ...attrs })) {
    if (prop === 'dn' || prop === 'rn' || prop === 'status') continue;
    const spec = def.attrs[prop];
    if (!spec) continue;
    const verdict = checkAttr(spec, { className: def.className, prop, rn, dn }, value);
    if (!verdict.ok) throw apicErrors.validation(verdict.code, verdict.text);
    if (!(prop in attrs)) continue;
    if (def.writeOnly.includes(prop)) writeOnly[prop] = verdict.value;
    else given[prop] = verdict.value;
  }
  return { given, writeOnly };
}

/** Stored write-only values after a POST: a value replaces, an empty one clears. */
function mergeWriteOnly(before: Record<string, string> | undefined, posted: Record<string, string>): Record<string, string> | undefined {
  const out = { ...before, ...posted };
  for (const [k, v] of Object.entries(out)) if (v === '') delete out[k];
  return Object.keys(out).length > 0 ? out : undefined;
}

class Writer {
  readonly changes: Change[] = [];

  constructor(
    private readonly txn: Txn,
    private readonly now: string,
  ) {}

  node(node: BodyNode, dn: string): MoJsonOut | undefined {
    const def = aciClass(node.className);
    if (!def) throw apicErrors.unknownClass(node.className);
    if (def.kind === 'oper') throw apicErrors.badRequest(`class ${node.className} is not configurable: ${dn}`);
    const writable = writableProps(node.className);
    for (const attr of Object.keys(node.attrs)) {
      if (!writable.has(attr)) throw apicErrors.unknownAttribute(attr, node.className);
    }
    const status = node.attrs.status ?? '';
    if (!statuses.has(status)) throw apicErrors.badValue(status, 'status', node.className, dn);

    const parent = parentDn(dn);
    const parentMo = parent === '' ? undefined : this.txn.get(parent);
    const parsed = tryParseRn(lastRn(dn), parentMo?.className);
    if (!parsed || parsed.className !== node.className) {
      throw apicErrors.badRequest(`expected ${dn} to name an MO of class ${node.className}; its RN names ${parsed?.className ?? 'no known class'}`);
    }
    for (const prop of namingProps(node.className)) {
      const given = node.attrs[prop];
      if (given !== undefined && given !== parsed.namingAttrs[prop]) throw apicErrors.immutable(node.className, prop);
    }
    const existing = this.txn.get(dn);

    if (status === 'deleted') {
      if (!existing) return undefined;
      this.txn.remove(dn);
      this.changes.push({ dn, className: node.className, status: 'deleted' });
      return { [node.className]: { attributes: { dn, status: 'deleted' } } };
    }
    if (status === 'created' && existing) throw apicErrors.exists(dn);
    if (status === 'modified' && !existing) throw apicErrors.notFound(dn);
    if (!existing) {
      if (parent !== '' && !parentMo) throw apicErrors.notFound(dn);
      if (parentMo && !def.parents.includes(parentMo.className)) {
        throw apicErrors.badRequest(`class ${node.className} cannot be contained in ${parentMo.className} (${parent})`);
      }
    }

    const { given, writeOnly } = checkedAttrs(def, node.attrs, parsed.namingAttrs, dn);
    let own: ChangeStatus | '' = '';
    const changedAttrs: Record<string, string> = {};
    if (!existing) {
      const attrs = { ...def.config, ...def.oper, ...parsed.namingAttrs, ...given };
      const secure = mergeWriteOnly(undefined, writeOnly);
      this.txn.put({ className: node.className, dn, attrs, modTs: this.now, ...(secure ? { writeOnly: secure } : {}) });
      own = 'created';
      Object.assign(changedAttrs, given);
    } else {
      for (const prop of def.createOnly) {
        if (given[prop] !== undefined && given[prop] !== existing.attrs[prop]) throw apicErrors.immutable(node.className, prop);
      }
      for (const [k, v] of Object.entries(given)) if (existing.attrs[k] !== v) changedAttrs[k] = v;
      const secure = mergeWriteOnly(existing.writeOnly, writeOnly);
      const secureChanged = JSON.stringify(secure ?? {}) !== JSON.stringify(existing.writeOnly ?? {});
      if (Object.keys(changedAttrs).length > 0 || secureChanged) {
        const { writeOnly: _old, ...rest } = existing;
        this.txn.put({ ...rest, attrs: { ...existing.attrs, ...changedAttrs }, modTs: this.now, ...(secure ? { writeOnly: secure } : {}) });
        own = 'modified';
      }
    }
    if (own) this.changes.push({ dn, className: node.className, status: own });
    if (!existing) this.addImplicit(def, dn, node.children);

    const kids: MoJsonOut[] = [];
    for (const child of node.children) {
      const out = this.node(child, this.childDnOf(child, dn));
      if (out) kids.push(out);
    }
    if (!own && kids.length === 0) return undefined;
    const body: { attributes: Record<string, string>; children?: MoJsonOut[] } = {
      attributes: { ...changedAttrs, dn, status: own },
    };
    if (kids.length > 0) body.children = kids;
    return { [node.className]: body };
  }

  /** What an APIC creates with a new MO (bgpRsPeerPfxPol under bgpPeerP), unless the POST names it. */
  private addImplicit(def: AciClassDef, dn: string, posted: ReadonlyArray<BodyNode>): void {
    for (const cls of def.implicit) {
      if (posted.some((c) => c.className === cls)) continue;
      const childDef = aciClass(cls);
      if (!childDef) continue;
      const kid = childDn(dn, rnFor(cls, {}));
      if (this.txn.get(kid)) continue;
      this.txn.put({ className: cls, dn: kid, attrs: { ...childDef.config, ...childDef.oper }, modTs: this.now });
    }
  }

  private childDnOf(child: BodyNode, parent: string): string {
    if (child.attrs.dn !== undefined) {
      const dn = resolveCanonical(child.attrs.dn);
      if (parentDn(dn) !== parent) throw apicErrors.badRequest(`child dn ${child.attrs.dn} is not under ${parent}`);
      return dn;
    }
    if (child.attrs.rn !== undefined) return resolveCanonical(childDn(parent, child.attrs.rn));
    try {
      return childDn(parent, rnFor(child.className, child.attrs));
    } catch (err) {
      if (err instanceof UnknownAciClass) throw apicErrors.unknownClass(child.className);
      if (err instanceof InvalidRn) throw apicErrors.badRequest(`${err.message} (child of ${parent})`);
      throw err;
    }
  }
}

/**
 * Where the posted MO sits: the URL's MO itself when the body is of its class, else a descendant
 * named by the body's `dn` or, without one, a child built from its naming properties.
 */
function bodyDn(urlDn: string, body: BodyNode): string {
  const url = resolveCanonical(urlDn);
  const urlClass = classOfDn(url);
  if (body.attrs.dn !== undefined) {
    const dn = resolveCanonical(body.attrs.dn);
    if (!isWithin(dn, url)) throw apicErrors.badRequest(`the dn attribute ${body.attrs.dn} is not under the URL DN ${url}`);
    return dn;
  }
  if (urlClass === body.className) return url;
  try {
    return childDn(url, rnFor(body.className, body.attrs));
  } catch (err) {
    if (err instanceof InvalidRn) throw apicErrors.namingUnset(body.className, namingProps(body.className)[0] ?? 'name');
    throw err;
  }
}


/** Applies one POST: everything or nothing. */
export function applyPost(mit: Mit, urlDn: string, body: BodyNode, now: string): WriteResult {
  if (!aciClass(body.className)) throw apicErrors.unknownClass(body.className);
  const dn = bodyDn(urlDn, body);
  const txn = new Txn(mit);
  const writer = new Writer(txn, now);
  const top = writer.node(body, dn);
  checkRules(txn, writer.changes);
  txn.commit();
  return { changes: writer.changes, modified: top ? [top] : [] };
}

/** DELETE /api/mo/<dn>: removes the subtree; deleting what is absent succeeds (idempotent). */
export function applyDelete(mit: Mit, urlDn: string): Change[] {
  const dn = resolveCanonical(urlDn);
  if (dn === 'uni' || dn === 'topology') throw apicErrors.badRequest(`cannot delete ${dn}`);
  const mo: Mo | undefined = mit.get(dn);
  if (!mo) return [];
  mit.deleteSubtree(dn);
  return [{ dn, className: mo.className, status: 'deleted' }];
}
