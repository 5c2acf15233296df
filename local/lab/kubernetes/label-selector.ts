import { arrayAt, isObject, objectAt, type Json } from './json.js';

// Two spellings of the same idea: the `labelSelector=` query string kubectl and clients send, and
// the LabelSelector objects (matchLabels/matchExpressions) inside Cilium specs.
type Requirement = (labels: Record<string, string>) => boolean;

export function parseSelectorQuery(text: string | null | undefined): (labels: Record<string, string>) => boolean {
  const reqs: Requirement[] = [];
  for (const term of splitTerms(text ?? '')) {
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim()).filter(Boolean);
      reqs.push(op === 'in' ? (l) => key in l && values.includes(l[key] ?? '') : (l) => !(key in l) || !values.includes(l[key] ?? ''));
    } else if ((m = /^(\S+?)\s*(!=|==|=)\s*(\S*)$/.exec(term))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      reqs.push(op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value);
    } else if (term.startsWith('!')) {
      const key = term.slice(1).trim();
      reqs.push((l) => !(key in l));
    } else {
      reqs.push((l) => term in l);
    }
  }
  return (labels) => reqs.every((r) => r(labels));
}

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      if (cur.trim()) terms.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) terms.push(cur.trim());
  return terms;
}

/**
 * metav1.LabelSelector semantics. `absentMatchesAll` covers Cilium's "nil selector selects every
 * node/service"; an empty selector `{}` always matches everything.
 */
export function matchesLabelSelector(selector: Json | undefined, labels: Record<string, string>, absentMatchesAll = true): boolean {
  if (!isObject(selector)) return absentMatchesAll;
  const matchLabels = objectAt(selector, 'matchLabels') ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const expr of arrayAt(selector, 'matchExpressions')) {
    if (!isObject(expr) || typeof expr['key'] !== 'string') return false;
    const key = expr['key'];
    const values = arrayAt(expr, 'values').filter((v): v is string => typeof v === 'string');
    const has = key in labels;
    switch (expr['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
