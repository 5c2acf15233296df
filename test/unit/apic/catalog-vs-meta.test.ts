import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from '../../../shared/zod.js';
import { aciClass, isKnownClass } from '../../../shared/aci/classes.js';
import type { AttrSpec } from '../../../shared/aci/catalog/attr.js';

// The lab's class tables against real APIC class metadata (reference/aci-meta/, SOURCES.txt
// there explains the format): RN format, parents, the set of configurable properties and, per
// property, its type, allowed values, range, pattern, default and create-only flag.

const metaDir = fileURLToPath(new URL('../../../../shared/reference/aci-meta', import.meta.url));

const Prop = z.looseObject({
  baseType: z.string(),
  isConfigurable: z.boolean(),
  createOnly: z.optional(z.boolean()),
  isNaming: z.optional(z.boolean()),
  default: z.optional(z.union([z.string(), z.number(), z.null()])),
  validValues: z.optional(z.array(z.looseObject({ localName: z.string() }))),
  validators: z.optional(z.array(z.looseObject({
    min: z.optional(z.number()), max: z.optional(z.number()),
    regexs: z.optional(z.array(z.looseObject({ regex: z.string() }))),
  }))),
});
const ClassMeta = z.looseObject({
  rnFormat: z.string(),
  containedBy: z.record(z.string(), z.string()),
  properties: z.record(z.string(), Prop),
});
type Prop = z.infer<typeof Prop>;

const flat = (colonName: string): string => colonName.replace(':', '');

const metas = readdirSync(metaDir).filter((f) => f.endsWith('.json')).map((file) => {
  const doc = z.record(z.string(), ClassMeta).parse(JSON.parse(readFileSync(join(metaDir, file), 'utf8')));
  const [name, meta] = Object.entries(doc)[0] ?? [];
  if (!name || !meta) throw new Error(`${file}: expected one class`);
  return { className: flat(name), meta };
});

/** The lab presents userdom as a volatile property (`:all:`), like modTs and uid. */
const configurable = (meta: z.infer<typeof ClassMeta>): string[] =>
  Object.entries(meta.properties).filter(([p, v]) => v.isConfigurable && p !== 'userdom').map(([p]) => p).sort();

const localNames = (p: Prop): string[] => (p.validValues ?? []).map((v) => v.localName).filter((n) => n !== 'defaultValue').sort();

function macOf(littleEndian: string): string {
  const hex = BigInt(littleEndian).toString(16).padStart(12, '0').toUpperCase();
  return (hex.match(/../g) ?? []).reverse().join(':');
}

/** The default in REST form: Bool as yes/no, MAC as colon hex, none as ''. */
function restDefault(p: Prop): string {
  const d = p.default === undefined || p.default === null ? '' : String(p.default);
  if (p.baseType === 'scalar:Bool') return d === 'true' ? 'yes' : d === 'false' ? 'no' : d;
  if (p.baseType === 'address:MAC' && /^\d+$/.test(d)) return macOf(d);
  return d;
}

const typeOf: Array<[RegExp, AttrSpec['type']]> = [
  [/^string:Basic$/, 'string'], [/^scalar:Enum/, 'enum'], [/^scalar:Bitmask/, 'flags'], [/^scalar:Bool$/, 'bool'],
  [/^scalar:U/, 'number'], [/^address:Ip/, 'ip'], [/^address:MAC$/, 'mac'], [/^base:Encap$/, 'encap'], [/^reference:/, 'dn'],
];

/** Every difference between one property's metadata and the lab's spec, as readable lines. */
function differences(prop: string, p: Prop, spec: AttrSpec | undefined): string[] {
  if (!spec) return [`${prop}: missing`];
  const out: string[] = [];
  const want = typeOf.find(([re]) => re.test(p.baseType))?.[1];
  if (spec.type !== want) return [`${prop}: type ${spec.type}, metadata ${p.baseType}`];
  const v = p.validators?.[0];
  const def = restDefault(p);
  // The metadata gives no default for addresses and encaps; a GET shows 0.0.0.0, :: or unknown.
  const unsetForms = spec.type === 'ip' ? ['', '0.0.0.0', '::'] : spec.type === 'encap' ? ['', 'unknown'] : [def];
  if (!(def === '' ? unsetForms : [def]).includes(spec.default)) out.push(`${prop}: default ${spec.default}, metadata ${def}`);
  if ((spec.createOnly ?? false) !== ((p.createOnly ?? false) && !p.isNaming)) out.push(`${prop}: createOnly differs`);
  if (spec.type === 'string') {
    if (v && (spec.min !== v.min || spec.max !== v.max)) out.push(`${prop}: length ${spec.min}..${spec.max}, metadata ${v.min}..${v.max}`);
    if (spec.pattern !== v?.regexs?.[0]?.regex) out.push(`${prop}: pattern ${spec.pattern}, metadata ${v?.regexs?.[0]?.regex}`);
  }
  if (spec.type === 'enum' || spec.type === 'flags') {
    if (JSON.stringify([...spec.values].sort()) !== JSON.stringify(localNames(p))) out.push(`${prop}: values ${spec.values}, metadata ${localNames(p)}`);
  }
  if (spec.type === 'enum' && v?.min !== undefined && JSON.stringify(spec.range) !== JSON.stringify([v.min, v.max])) out.push(`${prop}: range differs`);
  if (spec.type === 'number') {
    if (JSON.stringify([...(spec.named ?? [])].sort()) !== JSON.stringify(localNames(p))) out.push(`${prop}: named ${spec.named}, metadata ${localNames(p)}`);
    // max < min in the metadata (fvCtx.vrfIndex 1..0) means no usable bound.
    if (v?.min !== undefined && v.max !== undefined && v.max >= v.min && (spec.min !== v.min || spec.max !== v.max)) {
      out.push(`${prop}: range ${spec.min}..${spec.max}, metadata ${v.min}..${v.max}`);
    }
  }
  if (spec.type === 'mac' && JSON.stringify([...(spec.named ?? [])].sort()) !== JSON.stringify(localNames(p))) out.push(`${prop}: named values differ`);
  return out;
}

describe('the lab class catalogue against real APIC metadata', () => {
  it('covers the twelve classes of reference/aci-meta', () => {
    expect(metas.map((m) => m.className).sort()).toEqual([
      'fvAEPg', 'fvAp', 'fvBD', 'fvCtx', 'fvESg', 'fvRsDomAtt', 'fvRsScope', 'fvTenant', 'infraRsVlanNs', 'l3extInstP',
      'l3extSubnet', 'rtctrlProfile',
    ]);
  });

  it.each(metas)('$className: RN format and parents', ({ className, meta }) => {
    const def = aciClass(className);
    expect(def, `${className} in the catalogue`).toBeDefined();
    expect(def?.rn).toBe(meta.rnFormat);
    const allowed = Object.keys(meta.containedBy).map(flat);
    expect(def?.parents.filter((p) => !allowed.includes(p)), 'parents the metadata does not allow').toEqual([]);
    const modelled = allowed.filter(isKnownClass);
    expect(modelled.filter((p) => !def?.parents.includes(p)), 'allowed parents the catalogue knows but does not list').toEqual([]);
  });

  it.each(metas)('$className: every configurable property with its type, values, range, pattern and default', ({ className, meta }) => {
    const def = aciClass(className);
    expect(Object.keys(def?.attrs ?? {}).sort()).toEqual(configurable(meta));
    const diffs = configurable(meta).flatMap((prop) => differences(prop, meta.properties[prop] as Prop, def?.attrs[prop]));
    expect(diffs).toEqual([]);
  });

  it.each(metas)('$className: read-only values the lab shows are real read-only properties', ({ className, meta }) => {
    const readOnly = Object.entries(meta.properties).filter(([, p]) => !p.isConfigurable).map(([name]) => name);
    expect(Object.keys(aciClass(className)?.oper ?? {}).filter((k) => !readOnly.includes(k))).toEqual([]);
  });
});
