import { isIP } from 'node:net';

// A tiny evaluator for the CEL rules the Cilium CRDs carry in `x-kubernetes-validations`
// (the CRD-schema suite, test/unit/cilium/crd-schema.test.ts). It covers what appears in the
// reference CRDs — `self`, field selection, `has()`, `isIP()`, `size()`, literals, `!`, `==`,
// `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, parentheses — and throws UnsupportedCel for anything
// else, so the suite lists such a rule as skipped instead of pretending it passed.
// Semantics follow CEL as the API server runs it: selecting a field the object does not have is
// an error (which fails validation), `has()` tests presence without erroring.

export class UnsupportedCel extends Error {
  override name = 'UnsupportedCel' as const;
}

class CelRuntimeError extends Error {
  override name = 'CelRuntimeError' as const;
}

type Token = { kind: 'ident' | 'string' | 'number' | 'op'; text: string };

function tokenize(rule: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const two = rule.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ kind: 'op', text: two });
      i += 2;
    } else if ('!<>().,'.includes(c)) {
      out.push({ kind: 'op', text: c });
      i += 1;
    } else if (c === "'" || c === '"') {
      const end = rule.indexOf(c, i + 1);
      if (end < 0) throw new UnsupportedCel(`unterminated string in ${rule}`);
      const body = rule.slice(i + 1, end);
      if (body.includes('\\')) throw new UnsupportedCel(`escapes in string literals: ${rule}`);
      out.push({ kind: 'string', text: body });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(rule.slice(i));
      out.push({ kind: 'number', text: m?.[0] ?? c });
      i += m?.[0].length ?? 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rule.slice(i));
      out.push({ kind: 'ident', text: m?.[0] ?? c });
      i += m?.[0].length ?? 1;
    } else {
      throw new UnsupportedCel(`character ${JSON.stringify(c)} in ${rule}`);
    }
  }
  return out;
}

type Node =
  | { type: 'literal'; value: unknown }
  | { type: 'self' }
  | { type: 'select'; of: Node; field: string }
  | { type: 'has'; of: Node; field: string }
  | { type: 'call'; fn: 'isIP' | 'size'; arg: Node }
  | { type: 'not'; of: Node }
  | { type: 'binary'; op: string; left: Node; right: Node };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly rule: string) {}

  parse(): Node {
    const node = this.or();
    if (this.pos !== this.tokens.length) throw new UnsupportedCel(`unexpected ${this.tokens[this.pos]?.text} in ${this.rule}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private take(text?: string): Token {
    const t = this.tokens[this.pos];
    if (!t || (text !== undefined && t.text !== text)) throw new UnsupportedCel(`expected ${text ?? 'a token'} in ${this.rule}`);
    this.pos += 1;
    return t;
  }

  private binaryLevel(ops: string[], next: () => Node): Node {
    let left = next();
    while (this.peek()?.kind === 'op' && ops.includes(this.peek()?.text ?? '')) {
      const op = this.take().text;
      left = { type: 'binary', op, left, right: next() };
    }
    return left;
  }

  private or = (): Node => this.binaryLevel(['||'], this.and);
  private and = (): Node => this.binaryLevel(['&&'], this.relation);
  private relation = (): Node => this.binaryLevel(['==', '!=', '<', '<=', '>', '>='], this.unary);

  private unary = (): Node => {
    if (this.peek()?.text === '!') {
      this.take('!');
      return { type: 'not', of: this.unary() };
    }
    return this.member();
  };

  private member(): Node {
    let node = this.primary();
    while (this.peek()?.text === '.') {
      this.take('.');
      const field = this.take();
      if (field.kind !== 'ident') throw new UnsupportedCel(`field name expected in ${this.rule}`);
      if (this.peek()?.text === '(') throw new UnsupportedCel(`method calls (.${field.text}()) in ${this.rule}`);
      node = { type: 'select', of: node, field: field.text };
    }
    return node;
  }

  private primary(): Node {
    const t = this.take();
    if (t.kind === 'string') return { type: 'literal', value: t.text };
    if (t.kind === 'number') return { type: 'literal', value: Number(t.text) };
    if (t.text === '(') {
      const inner = this.or();
      this.take(')');
      return inner;
    }
    if (t.kind !== 'ident') throw new UnsupportedCel(`unexpected ${t.text} in ${this.rule}`);
    if (t.text === 'self') return { type: 'self' };
    if (t.text === 'true' || t.text === 'false') return { type: 'literal', value: t.text === 'true' };
    if (t.text === 'null') return { type: 'literal', value: null };
    if (t.text === 'has') {
      this.take('(');
      const arg = this.member();
      this.take(')');
      if (arg.type !== 'select') throw new UnsupportedCel(`has() needs a field selection in ${this.rule}`);
      return { type: 'has', of: arg.of, field: arg.field };
    }
    if (t.text === 'isIP' || t.text === 'size') {
      this.take('(');
      const arg = this.or();
      this.take(')');
      return { type: 'call', fn: t.text, arg };
    }
    throw new UnsupportedCel(`identifier ${t.text} in ${this.rule}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function evaluate(node: Node, self: unknown): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'self':
      return self;
    case 'select': {
      const of = evaluate(node.of, self);
      if (!isObject(of) || !(node.field in of)) throw new CelRuntimeError(`no such key: ${node.field}`);
      return of[node.field];
    }
    case 'has': {
      const of = evaluate(node.of, self);
      return isObject(of) && of[node.field] !== undefined;
    }
    case 'call': {
      const arg = evaluate(node.arg, self);
      if (node.fn === 'size') {
        if (typeof arg === 'string' || Array.isArray(arg)) return arg.length;
        if (isObject(arg)) return Object.keys(arg).length;
        throw new CelRuntimeError('size() of a non-collection');
      }
      if (typeof arg !== 'string') throw new CelRuntimeError('isIP() of a non-string');
      // CEL's isIP (Kubernetes IP library) refuses zones and IPv4-mapped IPv6 text.
      return isIP(arg) !== 0 && !arg.includes('%') && !/^::ffff:[0-9.]+$/i.test(arg);
    }
    case 'not': {
      const v = evaluate(node.of, self);
      if (typeof v !== 'boolean') throw new CelRuntimeError('! of a non-boolean');
      return !v;
    }
    case 'binary': {
      if (node.op === '||' || node.op === '&&') {
        const l = evaluate(node.left, self);
        if (typeof l !== 'boolean') throw new CelRuntimeError(`${node.op} of a non-boolean`);
        if (node.op === '||' ? l : !l) return l;
        const r = evaluate(node.right, self);
        if (typeof r !== 'boolean') throw new CelRuntimeError(`${node.op} of a non-boolean`);
        return r;
      }
      const l = evaluate(node.left, self);
      const r = evaluate(node.right, self);
      if (node.op === '==') return JSON.stringify(l) === JSON.stringify(r);
      if (node.op === '!=') return JSON.stringify(l) !== JSON.stringify(r);
      if (typeof l !== typeof r || (typeof l !== 'number' && typeof l !== 'string')) throw new CelRuntimeError(`${node.op} of mixed types`);
      const [a, b] = [l as number | string, r as number | string];
      if (node.op === '<') return a < b;
      if (node.op === '<=') return a <= b;
      if (node.op === '>') return a > b;
      return a >= b;
    }
  }
}

/** Parses a rule once; throws UnsupportedCel when it uses CEL beyond this subset. */
export function compileCel(rule: string): (self: unknown) => { ok: boolean; error?: string } {
  const ast = new Parser(tokenize(rule), rule).parse();
  return (self) => {
    try {
      const v = evaluate(ast, self);
      return v === true ? { ok: true } : { ok: false };
    } catch (err) {
      if (err instanceof CelRuntimeError) return { ok: false, error: err.message };
      throw err;
    }
  };
}
