import { canonicalJson } from '../../canonical-json.js';

// Plain-JSON tree operations the planner needs: subset tests (server defaults add fields the
// manifest never set), projecting the current object onto the shape of a manifest, and leaf
// listings for diffs.

export type Json = unknown;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** True when every field of `part` is present in `whole` with the same value; lists match item by item. */
export function isSubset(part: unknown, whole: unknown): boolean {
  if (isRecord(part)) {
    if (!isRecord(whole)) return false;
    return Object.entries(part).every(([k, v]) => v === undefined || isSubset(v, whole[k]));
  }
  if (Array.isArray(part)) {
    return Array.isArray(whole) && part.length === whole.length && part.every((v, i) => isSubset(v, whole[i]));
  }
  return sameJson(part, whole);
}

/** The values `current` holds at the fields `shape` names; lists and scalars are taken whole. */
export function projectLike(current: unknown, shape: unknown): unknown {
  if (!isRecord(shape) || !isRecord(current)) return current;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    if (current[key] !== undefined) out[key] = projectLike(current[key], shape[key]);
  }
  return out;
}

/** Deep merge of records; for lists and scalars the first argument wins. */
export function mergeTrees(first: unknown, second: unknown): unknown {
  if (isRecord(first) && isRecord(second)) {
    const out: Record<string, unknown> = { ...second };
    for (const [k, v] of Object.entries(first)) out[k] = k in second ? mergeTrees(v, second[k]) : v;
    return out;
  }
  return first === undefined ? second : first;
}

/** Drops empty records ({} means "nothing set" for a manifest) recursively. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const pruned = pruneEmpty(v);
    if (pruned === undefined || (isRecord(pruned) && Object.keys(pruned).length === 0)) continue;
    out[k] = pruned;
  }
  return out;
}

function segment(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Leaves as `path → value` for diffs: lists of named items are entered by name
 * (`spec.bgpInstances[aci].peers[leaf-101].peerASN`), other lists are one leaf.
 */
export function leaves(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, `${prefix}${segment(k)}`));
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => isRecord(v) && typeof v['name'] === 'string')) {
    return value.flatMap((v) => leaves(v, `${prefix}[${String((v as Record<string, unknown>)['name'])}]`));
  }
  return [[prefix.replace(/^\./, ''), value]];
}

export function showValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  return typeof value === 'string' ? value : canonicalJson(value);
}
