import { parseHost, parseInterfaceAddress } from '../spec/addresses.js';
import type { AttrSpec } from './catalog/attr.js';

// What an APIC says about one property value, from the class model alone: the canonical form it
// stores (flag lists sorted, `true`/`false` as `yes`/`no`, MACs upper case) or the refusal it
// answers with. Texts are the APIC's own (cisco.aci integration tests and issues):
//   801 "property descr of tn-ansible_test failed validation for value 'This is an [invalid] description'"
//       — a string outside its length or pattern (the RN names the MO);
//   120 "unknown property value 2768, , name prio, class lacpIfPol [(Dn0)] Dn0=…, "
//       — a value the property's type cannot hold (enum, flag, number, address, encap).

export type AttrVerdict = { ok: true; value: string } | { ok: false; code: '120' | '801'; text: string };

export interface AttrWhere {
  className: string;
  prop: string;
  /** The MO's RN and DN, as the APIC names them in its error texts. */
  rn: string;
  dn: string;
}

const ok = (value: string): AttrVerdict => ({ ok: true, value });
const badPattern = (w: AttrWhere, value: string): AttrVerdict => ({
  ok: false, code: '801', text: `property ${w.prop} of ${w.rn} failed validation for value '${value}'`,
});
const badValue = (w: AttrWhere, value: string): AttrVerdict => ({
  ok: false, code: '120', text: `unknown property value ${value}, , name ${w.prop}, class ${w.className} [(Dn0)] Dn0=${w.dn}, `,
});

function integerIn(value: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(value)) return false;
  const n = Number(value);
  // Metadata sometimes gives max < min (fvCtx.vrfIndex 1..0): no usable upper bound.
  return n >= min && (max < min || n <= max);
}

function isAddress(value: string): boolean {
  return value.includes('/') ? parseInterfaceAddress(value) !== undefined : parseHost(value) !== undefined;
}

function isEncap(value: string): boolean {
  if (value === 'unknown') return true;
  const m = /^(vlan|vxlan)-(\d+)$/.exec(value);
  if (!m) return false;
  return m[1] === 'vlan' ? integerIn(m[2] ?? '', 1, 4094) : integerIn(m[2] ?? '', 5000, 16777215);
}

/** The value the APIC stores for `value`, or its refusal. */
export function checkAttr(spec: AttrSpec, w: AttrWhere, value: string): AttrVerdict {
  switch (spec.type) {
    case 'string': {
      if (value.length < spec.min || value.length > spec.max) return badPattern(w, value);
      if (value !== '' && spec.pattern !== undefined && !new RegExp(spec.pattern).test(value)) return badPattern(w, value);
      return ok(value);
    }
    case 'enum':
      if (spec.values.includes(value)) return ok(value);
      return spec.range && integerIn(value, spec.range[0], spec.range[1]) ? ok(value) : badValue(w, value);
    case 'flags': {
      if (value === '') return ok('');
      const parts = value.split(',').map((f) => f.trim());
      if (parts.some((f) => !spec.values.includes(f))) return badValue(w, value);
      return ok([...new Set(parts)].sort().join(','));
    }
    case 'bool':
      if (value === 'yes' || value === 'true') return ok('yes');
      if (value === 'no' || value === 'false') return ok('no');
      return badValue(w, value);
    case 'number':
      if (spec.named?.includes(value)) return ok(value);
      return integerIn(value, spec.min, spec.max) ? ok(String(Number(value))) : badValue(w, value);
    case 'ip':
      return value === '' || isAddress(value) ? ok(value) : badValue(w, value);
    case 'mac':
      if (spec.named?.includes(value)) return ok(value);
      return /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/.test(value) ? ok(value.toUpperCase()) : badValue(w, value);
    case 'encap':
      return value === '' || isEncap(value) ? ok(value) : badValue(w, value);
    case 'dn':
      return /\s/.test(value) ? badValue(w, value) : ok(value);
  }
}
