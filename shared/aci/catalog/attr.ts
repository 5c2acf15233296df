import * as z from '../../zod.js';

// How one APIC property is typed, as the class metadata says (baseType + validValues +
// validators): strings with a length and a pattern, enums, flag lists (bitmasks), yes/no
// booleans, numbers with a range and named constants, IP addresses and prefixes, MACs, encaps
// and DN references. `default` is what a GET shows when the POST left the property out, in REST
// form. The validator in ../attr-check.ts reads nothing else.

const common = {
  default: z.string(),
  /** Fixed once the MO exists (besides the naming properties); changing it → 400. */
  createOnly: z.optional(z.boolean()),
  /** Accepted on POST, never returned (passwords, keys). */
  secure: z.optional(z.boolean()),
};

export const AttrSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('string'), min: z.int(), max: z.int(), pattern: z.optional(z.string()), ...common }),
  /** One value of `values`; `range` also admits plain numbers (APIC's numeric enums, e.g. prio 0–9). */
  z.object({ type: z.literal('enum'), values: z.array(z.string()), range: z.optional(z.tuple([z.number(), z.number()])), ...common }),
  /** A comma-separated set of `values`, stored in the APIC's order (sorted by name). */
  z.object({ type: z.literal('flags'), values: z.array(z.string()), ...common }),
  z.object({ type: z.literal('bool'), ...common }),
  /** An integer in [min, max], or one of the named constants (`unspecified`, `inherit`, `AF11`…). */
  z.object({ type: z.literal('number'), min: z.number(), max: z.number(), named: z.optional(z.array(z.string())), ...common }),
  /** IPv4 or IPv6 address, with or without a prefix length. */
  z.object({ type: z.literal('ip'), ...common }),
  z.object({ type: z.literal('mac'), named: z.optional(z.array(z.string())), ...common }),
  /** `unknown`, `vlan-1`…`vlan-4094` or `vxlan-5000`…`vxlan-16777215`. */
  z.object({ type: z.literal('encap'), ...common }),
  /** A DN (reference:BinRef): a relation's target. */
  z.object({ type: z.literal('dn'), ...common }),
]);
export type AttrSpec = z.infer<typeof AttrSpec>;

type Flags = { createOnly?: boolean; secure?: boolean };

export const str = (min: number, max: number, pattern?: string, dflt = '', flags: Flags = {}): AttrSpec =>
  pattern === undefined ? { type: 'string', min, max, default: dflt, ...flags } : { type: 'string', min, max, pattern, default: dflt, ...flags };
export const oneOf = (values: string[], dflt: string, range?: [number, number], flags: Flags = {}): AttrSpec =>
  range ? { type: 'enum', values, range, default: dflt, ...flags } : { type: 'enum', values, default: dflt, ...flags };
export const flags = (values: string[], dflt = ''): AttrSpec => ({ type: 'flags', values: [...values].sort(), default: dflt });
export const bool = (dflt: 'no' | 'yes'): AttrSpec => ({ type: 'bool', default: dflt });
export const num = (min: number, max: number, dflt: string, named?: string[]): AttrSpec =>
  named ? { type: 'number', min, max, named, default: dflt } : { type: 'number', min, max, default: dflt };
export const ip = (dflt = '', flagsOf: Flags = {}): AttrSpec => ({ type: 'ip', default: dflt, ...flagsOf });
export const mac = (dflt: string, named?: string[]): AttrSpec => (named ? { type: 'mac', named, default: dflt } : { type: 'mac', default: dflt });
export const encap = (dflt = 'unknown', flagsOf: Flags = {}): AttrSpec => ({ type: 'encap', default: dflt, ...flagsOf });
export const dnRef = (dflt = ''): AttrSpec => ({ type: 'dn', default: dflt });
export const secret = (): AttrSpec => ({ type: 'string', min: 0, max: 80, default: '', secure: true });

// The patterns the APIC metadata gives for the properties most classes share.
export const patterns = {
  /** Names and annotations: letters, digits and `_.:-`. */
  name: '^[a-zA-Z0-9_.:-]+$',
  /** Names of tenants, VRFs and BDs, and every nameAlias: no `:`. */
  plainName: '^[a-zA-Z0-9_.-]+$',
  /** Free text (descr, ownerKey, ownerTag): printable, but no `[]`, quotes, `<>`, `=` or `^`. */
  text: '^[a-zA-Z0-9\\\\!#$%()*,-./:;@ _{|}~?&+]+$',
};

export const annotation = str(0, 128, patterns.name);
export const descr = str(0, 128, patterns.text);
export const nameAlias = str(0, 63, patterns.plainName);
export const policyName = str(1, 64, patterns.name);
export const optionalName = str(0, 64, patterns.name);
export const ownerKey = str(0, 128, patterns.text);
export const ownerTag = str(0, 64, patterns.text);
/** A relation-by-name property (tnXName): empty means the `default` policy. */
export const targetName = str(0, 64, patterns.plainName);

export const prio = oneOf(['level1', 'level2', 'level3', 'level4', 'level5', 'level6', 'unspecified'], 'unspecified', [0, 9]);
export const targetDscp = num(0, 64, 'unspecified', [
  'AF11', 'AF12', 'AF13', 'AF21', 'AF22', 'AF23', 'AF31', 'AF32', 'AF33', 'AF41', 'AF42', 'AF43',
  'CS0', 'CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6', 'CS7', 'EF', 'VA', 'unspecified',
]);
export const enabledDisabled = (dflt: 'enabled' | 'disabled'): AttrSpec => oneOf(['disabled', 'enabled'], dflt);

/** annotation + descr + name + nameAlias: what nearly every named policy carries. */
export const namedPolicy = { annotation, descr, name: policyName, nameAlias };
export const owned = { ownerKey, ownerTag };
