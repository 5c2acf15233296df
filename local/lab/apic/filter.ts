import { ChangeflowError } from '../../../shared/errors.js';
import type { Mo } from './mit.js';

// query-target-filter / rsp-subtree-filter: `op(args)` where an arg is `class.attr`, a
// double-quoted value or a nested expression, e.g. and(eq(fvTenant.name,"a"),ne(fvTenant.descr,"")).

export type FilterExpr = { op: string; args: FilterArg[] };
export type FilterArg = FilterExpr | { prop: { className: string; attr: string } } | { value: string };

export class FilterSyntaxError extends ChangeflowError {
  override readonly name = 'FilterSyntaxError' as const;
}

export function parseFilter(text: string): FilterExpr {
  let pos = 0;
  const fail = (what: string): never => {
    throw new FilterSyntaxError(`Incorrect filter format for ${text}: ${what} at ${pos}`);
  };
  const ws = (): void => {
    while (text[pos] === ' ') pos++;
  };
  const expr = (): FilterExpr => {
    ws();
    const m = /^[a-z]+/.exec(text.slice(pos));
    if (!m) return fail('expected an operator');
    pos += m[0].length;
    ws();
    if (text[pos] !== '(') return fail('expected (');
    pos++;
    const args: FilterArg[] = [];
    ws();
    while (text[pos] !== ')') {
      args.push(arg());
      ws();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== ')') fail('expected , or )');
    }
    pos++;
    return { op: m[0], args };
  };
  const arg = (): FilterArg => {
    ws();
    if (text[pos] === '"') {
      const end = text.indexOf('"', pos + 1);
      if (end < 0) return fail('unterminated value');
      const value = text.slice(pos + 1, end);
      pos = end + 1;
      return { value };
    }
    const prop = /^([A-Za-z][A-Za-z0-9]*)\.([A-Za-z][A-Za-z0-9]*)(?=\s*[,)])/.exec(text.slice(pos));
    if (prop) {
      pos += prop[0].length;
      return { prop: { className: prop[1] ?? '', attr: prop[2] ?? '' } };
    }
    return expr();
  };
  const out = expr();
  ws();
  if (pos !== text.length) fail('trailing text');
  return out;
}

function valueOf(arg: FilterArg | undefined, mo: Mo): string | undefined {
  if (!arg) return undefined;
  if ('value' in arg) return arg.value;
  if ('prop' in arg) {
    if (arg.prop.className !== mo.className) return undefined;
    return arg.prop.attr === 'dn' ? mo.dn : mo.attrs[arg.prop.attr];
  }
  return undefined;
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function wildcard(value: string, pattern: string): boolean {
  // APIC's wcard is a regular-expression match; a pattern that is not a valid regex is a substring.
  try {
    return new RegExp(pattern).test(value);
  } catch (err) {
    if (err instanceof SyntaxError) return value.includes(pattern);
    throw err;
  }
}

function bits(value: string): Set<string> {
  return new Set(value.split(',').map((s) => s.trim()).filter(Boolean));
}

/** True when the MO satisfies the filter; a property of another class never matches. */
export function matches(expr: FilterExpr, mo: Mo): boolean {
  const [a, b, c] = expr.args;
  const sub = (arg: FilterArg | undefined): boolean => (arg && 'op' in arg ? matches(arg, mo) : false);
  const left = valueOf(a, mo);
  const right = valueOf(b, mo);
  switch (expr.op) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return expr.args.every(sub);
    case 'or':
      return expr.args.some(sub);
    case 'xor':
      return expr.args.filter(sub).length === 1;
    case 'not':
      return !sub(a);
    default:
      break;
  }
  if (left === undefined || right === undefined) return false;
  switch (expr.op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'lt':
      return compare(left, right) < 0;
    case 'gt':
      return compare(left, right) > 0;
    case 'le':
      return compare(left, right) <= 0;
    case 'ge':
      return compare(left, right) >= 0;
    case 'bw': {
      const hi = valueOf(c, mo);
      return hi !== undefined && compare(left, right) >= 0 && compare(left, hi) <= 0;
    }
    case 'wcard':
      return wildcard(left, right);
    case 'anybit': {
      const have = bits(left);
      return [...bits(right)].some((x) => have.has(x));
    }
    case 'allbits': {
      const have = bits(left);
      return [...bits(right)].every((x) => have.has(x));
    }
    default:
      throw new FilterSyntaxError(`Incorrect filter format: unknown operator ${expr.op}`);
  }
}

/** Checks the operators once at parse time so that a bad filter fails before any MO is read. */
export function validateFilter(expr: FilterExpr): void {
  const known = ['eq', 'ne', 'lt', 'gt', 'le', 'ge', 'bw', 'not', 'and', 'or', 'xor', 'true', 'false', 'anybit', 'allbits', 'wcard'];
  if (!known.includes(expr.op)) throw new FilterSyntaxError(`Incorrect filter format: unknown operator ${expr.op}`);
  for (const arg of expr.args) if ('op' in arg) validateFilter(arg);
}
