import { labelsOf, stringAt, type JsonObject } from './json.js';
import { parseSelectorQuery } from './label-selector.js';

// labelSelector= and fieldSelector= of list and watch requests. Field selectors cover what
// clients send in practice (kubectl wait/delete/rollout use metadata.name).
export function objectFilter(query: URLSearchParams): (obj: JsonObject) => boolean {
  const labels = parseSelectorQuery(query.get('labelSelector'));
  const fields = (query.get('fieldSelector') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
      const m = /^([\w.]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
      if (!m) return () => false;
      const [, field, op, value] = m as unknown as [string, string, string, string];
      return (obj: JsonObject) => {
        const actual = fieldValue(obj, field);
        return op === '!=' ? actual !== value : actual === value;
      };
    });
  return (obj) => labels(labelsOf(obj)) && fields.every((f) => f(obj));
}

function fieldValue(obj: JsonObject, field: string): string | undefined {
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' ? cur : cur === undefined ? undefined : String(cur);
}

export function namespaceOf(obj: JsonObject): string | undefined {
  return stringAt(obj['metadata'], 'namespace');
}
