import type * as z from '../zod.js';
import { ChangeflowError } from '../errors.js';
import { bracket, matchingClose, splitDn, unbracket } from './dn.js';
import type { AttrSpec } from './catalog/attr.js';
import { classCatalog } from './catalog/index.js';
import { ClassEntry } from './catalog/entry.js';

// The registry of APIC MO classes that changeflow and the cisco.aci Ansible modules touch:
// how each class is named in the tree (RN format), where it may sit, and which properties a
// real APIC returns for it. The emulator validates POSTs with it, the model builds MOs with it.

/** A catalogue entry (catalog/entry.ts) with what callers read most, derived once. */
export interface AciClassDef extends z.infer<typeof ClassEntry> {
  /** Config properties with the value a real APIC fills in when the POST leaves them out. */
  config: Record<string, string>;
  /** Props fixed at creation besides the naming props (changing them → 400). */
  createOnly: string[];
  /** Accepted on POST, never returned (passwords, keys). */
  writeOnly: string[];
}

function classDef(entry: ClassEntry): AciClassDef {
  const parsed = ClassEntry.parse(entry);
  const specs = Object.entries(parsed.attrs);
  return {
    ...parsed,
    config: Object.fromEntries(specs.filter(([, a]) => !a.secure).map(([k, a]) => [k, a.default])),
    createOnly: specs.filter(([, a]) => a.createOnly).map(([k]) => k),
    writeOnly: specs.filter(([, a]) => a.secure).map(([k]) => k),
  };
}

/** Properties every MO carries that change without a config change; never compared or dumped. */
export const volatileAttrs: ReadonlyArray<string> = [
  'childAction', 'status', 'modTs', 'uid', 'userdom', 'lcOwn', 'extMngdBy', 'monPolDn', 'rn',
];

export class UnknownAciClass extends ChangeflowError {
  override readonly name = 'UnknownAciClass' as const;
  constructor(readonly className: string) {
    super(`expected a known APIC class, found "${className}"; add it to shared/aci/catalog/ or fix the name`);
  }
}

export class InvalidRn extends ChangeflowError {
  override readonly name = 'InvalidRn' as const;
  constructor(message: string) {
    super(message);
  }
}

const registry = new Map<string, AciClassDef>(classCatalog.map((c) => [c.className, classDef(c)]));

type RnToken = { literal: string } | { prop: string; bracketed: boolean };

function tokens(format: string): RnToken[] {
  const out: RnToken[] = [];
  const re = /\[\{(\w+)\}\]|\{(\w+)\}/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    if (m.index > last) out.push({ literal: format.slice(last, m.index) });
    out.push(m[1] !== undefined ? { prop: m[1], bracketed: true } : { prop: m[2] ?? '', bracketed: false });
    last = m.index + m[0].length;
  }
  if (last < format.length) out.push({ literal: format.slice(last) });
  return out;
}

const tokenCache = new Map<string, RnToken[]>();
function tokensOf(def: AciClassDef): RnToken[] {
  let t = tokenCache.get(def.className);
  if (!t) {
    t = tokens(def.rn);
    tokenCache.set(def.className, t);
  }
  return t;
}

function leadingLiteral(def: AciClassDef): string {
  const first = tokensOf(def)[0];
  return first && 'literal' in first ? first.literal : '';
}

export function aciClass(className: string): AciClassDef | undefined {
  return registry.get(className);
}

export function requireAciClass(className: string): AciClassDef {
  const def = registry.get(className);
  if (!def) throw new UnknownAciClass(className);
  return def;
}

/** The type of one property of a class, or undefined when the class does not have it. */
export function attrSpec(className: string, prop: string): AttrSpec | undefined {
  return registry.get(className)?.attrs[prop];
}

export function isKnownClass(className: string): boolean {
  return registry.has(className);
}

export function knownClasses(): string[] {
  return [...registry.keys()];
}

/** Naming properties of a class, in RN order. */
export function namingProps(className: string): string[] {
  return tokensOf(requireAciClass(className)).flatMap((t) => ('prop' in t ? [t.prop] : []));
}

/** Every property a POST may set on the class (naming, config, write-only, plus dn/status). */
export function writableProps(className: string): Set<string> {
  const def = requireAciClass(className);
  return new Set([...namingProps(className), ...Object.keys(def.config), ...def.writeOnly, 'dn', 'rn', 'status']);
}

/** The RN of an MO of `className` with the given naming attributes. */
export function rnFor(className: string, attrs: Readonly<Record<string, string | undefined>>): string {
  const def = requireAciClass(className);
  return tokensOf(def)
    .map((t) => {
      if ('literal' in t) return t.literal;
      const value = attrs[t.prop];
      if (value === undefined || value === '') {
        throw new InvalidRn(`expected naming property "${t.prop}" for ${className} (RN ${def.rn}), found none; pass it in the attributes`);
      }
      return t.bracketed ? `[${value}]` : bracket(value);
    })
    .join('');
}

export interface ParsedRn {
  className: string;
  namingAttrs: Record<string, string>;
}

function matchFormat(def: AciClassDef, rn: string): Record<string, string> | undefined {
  const toks = tokensOf(def);
  const attrs: Record<string, string> = {};
  let pos = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (!t) return undefined;
    if ('literal' in t) {
      if (!rn.startsWith(t.literal, pos)) return undefined;
      pos += t.literal.length;
      continue;
    }
    let value: string;
    if (rn[pos] === '[') {
      // A bracketed value ends at its matching bracket, so `/` and `-` inside are part of it.
      const close = matchingClose(rn, pos);
      if (close < 0) return undefined;
      value = rn.slice(pos + 1, close);
      pos = close + 1;
    } else {
      if (t.bracketed) return undefined;
      const next = toks[i + 1];
      const end = next && 'literal' in next ? rn.indexOf(next.literal, pos) : rn.length;
      if (end < 0) return undefined;
      value = rn.slice(pos, end);
      pos = end;
    }
    if (value === '') return undefined;
    attrs[t.prop] = unbracket(value);
  }
  return pos === rn.length ? attrs : undefined;
}

/**
 * The class and naming attributes of an RN. Several formats can match one RN; the parent class
 * (when known) narrows them, then the longest literal prefix wins (`rsnodeL3OutAtt-` over `rs…`).
 */
export function tryParseRn(rn: string, parentClass?: string): ParsedRn | undefined {
  let best: { def: AciClassDef; attrs: Record<string, string>; score: number } | undefined;
  for (const def of registry.values()) {
    if (parentClass !== undefined && !def.parents.includes(parentClass)) continue;
    const attrs = matchFormat(def, rn);
    if (!attrs) continue;
    const score = leadingLiteral(def).length;
    if (!best || score > best.score) best = { def, attrs, score };
  }
  return best ? { className: best.def.className, namingAttrs: best.attrs } : undefined;
}

export function parseRn(rn: string, parentClass?: string): ParsedRn {
  const parsed = tryParseRn(rn, parentClass);
  if (!parsed) {
    const where = parentClass ? ` under ${parentClass}` : '';
    throw new InvalidRn(`expected an RN of a known APIC class${where}, found "${rn}"; check the DN or add the class to the catalog`);
  }
  return parsed;
}

/** Class and naming attributes of every RN of a DN, resolved root first with parent context. */
export function parseDn(dn: string): Array<ParsedRn & { rn: string }> {
  const out: Array<ParsedRn & { rn: string }> = [];
  let parent: string | undefined = '';
  for (const rn of splitDn(dn)) {
    const parsed: ParsedRn = parent === '' ? parseRn(rn, undefined) : parseRn(rn, parent);
    out.push({ ...parsed, rn });
    parent = parsed.className;
  }
  return out;
}

/** The class of a DN's last RN, or undefined when the DN does not parse as APIC RNs. */
export function classOfDn(dn: string): string | undefined {
  try {
    return parseDn(dn).at(-1)?.className;
  } catch (err) {
    if (err instanceof InvalidRn) return undefined;
    throw err;
  }
}

/** The canonical form of a DN: each RN rebuilt from its parsed naming values (`lifp-[ip]` → `lifp-ip`). */
export function canonicalDn(dn: string): string {
  return parseDn(dn)
    .map((p) => rnFor(p.className, p.namingAttrs))
    .join('/');
}
