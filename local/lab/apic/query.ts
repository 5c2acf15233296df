import * as z from '../../../shared/zod.js';
import { isWithin } from '../../../shared/aci/dn.js';
import { isKnownClass } from '../../../shared/aci/classes.js';
import { FilterSyntaxError, matches, parseFilter, validateFilter, type FilterExpr } from './filter.js';
import { apicErrors } from './lab-error.js';
import type { Mit, Mo } from './mit.js';
import { moJson, type MoJsonOut, type PropInclude } from './present.js';

// The query engine behind GET /api/mo|class|node: query-target, target-subtree-class,
// query-target-filter, rsp-subtree(-class|-filter|-include), rsp-prop-include, order-by, paging.

export type QueryTarget = { kind: 'mo'; dn: string } | { kind: 'class'; className: string; scopeDn?: string };

const classList = z.optional(z.pipe(z.string(), z.transform((s) => new Set(s.split(',').map((c) => c.trim()).filter(Boolean)))));

export const QueryOptions = z.object({
  'query-target': z._default(z.enum(['self', 'children', 'subtree']), 'self'),
  'target-subtree-class': classList,
  'query-target-filter': z.optional(z.string()),
  'rsp-subtree': z._default(z.enum(['no', 'children', 'full']), 'no'),
  'rsp-subtree-class': classList,
  'rsp-subtree-filter': z.optional(z.string()),
  'rsp-subtree-include': z.optional(z.pipe(z.string(), z.transform((s) => new Set(s.split(',').map((c) => c.trim()))))),
  'rsp-prop-include': z._default(z.enum(['all', 'config-only', 'naming-only']), 'all'),
  'order-by': z.optional(z.string()),
  page: z._default(z.pipe(z.coerce.number(), z.int().check(z.nonnegative())), 0),
  'page-size': z.optional(z.pipe(z.coerce.number(), z.int().check(z.positive()))),
});
export type QueryOptions = z.infer<typeof QueryOptions>;

export interface QueryResult {
  totalCount: number;
  imdata: MoJsonOut[];
}

function filterOf(text: string | undefined): FilterExpr | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const expr = parseFilter(text);
    validateFilter(expr);
    return expr;
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw apicErrors.badFilter(err.message);
    throw err;
  }
}

function orderBy(spec: string): (a: Mo, b: Mo) => number {
  const keys = spec.split(',').map((part) => {
    const [prop = '', dir = 'asc'] = part.split('|');
    const attr = prop.split('.')[1] ?? prop;
    return { attr, sign: dir === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { attr, sign } of keys) {
      const va = attr === 'dn' ? a.dn : (a.attrs[attr] ?? '');
      const vb = attr === 'dn' ? b.dn : (b.attrs[attr] ?? '');
      if (va !== vb) return (va < vb ? -1 : 1) * sign;
    }
    return 0;
  };
}

export function parseQueryOptions(raw: Record<string, string>): QueryOptions {
  const parsed = QueryOptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw apicErrors.badRequest(`invalid query option ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'bad value'}`);
  }
  return parsed.data;
}

export function runQuery(mit: Mit, target: QueryTarget, raw: Record<string, string>): QueryResult {
  const opts = parseQueryOptions(raw);
  const targetFilter = filterOf(opts['query-target-filter']);
  const subtreeFilter = filterOf(opts['rsp-subtree-filter']);

  let bases: Mo[];
  if (target.kind === 'mo') {
    const mo = mit.get(target.dn);
    bases = mo ? [mo] : [];
  } else {
    if (!isKnownClass(target.className) && mit.byClass(target.className).length === 0) {
      throw apicErrors.unresolvedClass(target.className);
    }
    const scope = target.scopeDn;
    bases = mit.byClass(target.className).filter((mo) => scope === undefined || isWithin(mo.dn, scope));
  }

  const qt = opts['query-target'];
  const tsc = opts['target-subtree-class'];
  const classed = tsc !== undefined && tsc.size > 0;
  // A subtree query with a class list reads the class index within the base, not the whole subtree.
  let targets = bases.flatMap((b) =>
    qt === 'self' ? [b] : qt === 'children' ? mit.children(b.dn) : classed ? mit.byClassWithin(tsc, b.dn) : mit.subtree(b.dn),
  );
  if (classed && qt === 'children') targets = targets.filter((mo) => tsc.has(mo.className));
  if (targetFilter) targets = targets.filter((mo) => matches(targetFilter, mo));
  if (opts['order-by']) targets = [...targets].sort(orderBy(opts['order-by']));

  const include = opts['rsp-subtree-include'] ?? new Set<string>();
  if (include.has('count')) {
    const count = { moCount: { attributes: { childAction: '', count: String(targets.length), dn: '', status: '' } } };
    return { totalCount: 1, imdata: [count] };
  }

  const totalCount = targets.length;
  const size = opts['page-size'];
  if (size !== undefined) targets = targets.slice(opts.page * size, (opts.page + 1) * size);

  const subtree = new SubtreeBuilder(mit, opts, subtreeFilter, include);
  const imdata: MoJsonOut[] = [];
  for (const mo of targets) {
    const children = subtree.childrenOf(mo);
    if (include.has('required') && (opts['rsp-subtree-class'] || subtreeFilter) && children.length === 0) continue;
    imdata.push(moJson(mo, opts['rsp-prop-include'], children));
  }
  return { totalCount: include.has('required') ? imdata.length : totalCount, imdata };
}

class SubtreeBuilder {
  private readonly mode: 'no' | 'children' | 'full';
  private readonly classes: Set<string> | undefined;
  private readonly include: PropInclude;

  constructor(
    private readonly mit: Mit,
    opts: QueryOptions,
    private readonly filter: FilterExpr | undefined,
    includes: Set<string>,
  ) {
    this.classes = opts['rsp-subtree-class'];
    this.include = opts['rsp-prop-include'];
    // `rsp-subtree-include=stats` returns the statistics children (capacity counters) even
    // without rsp-subtree; the lab keeps them as plain children.
    this.mode = opts['rsp-subtree'] === 'no' && includes.has('stats') ? 'children' : opts['rsp-subtree'];
  }

  private selected(mo: Mo): boolean {
    if (this.classes && this.classes.size > 0 && !this.classes.has(mo.className)) return false;
    return this.filter ? matches(this.filter, mo) : true;
  }

  childrenOf(mo: Mo): MoJsonOut[] {
    if (this.mode === 'no') return [];
    const out: MoJsonOut[] = [];
    for (const child of this.mit.children(mo.dn)) {
      if (this.mode === 'children') {
        if (this.selected(child)) out.push(moJson(child, this.include));
        continue;
      }
      const grandChildren = this.childrenOf(child);
      // In full mode an unselected MO still appears when it leads to selected descendants.
      if (this.selected(child) || grandChildren.length > 0) out.push(moJson(child, this.include, grandChildren));
    }
    return out;
  }
}
