import * as z from '../../zod.js';
import { isRecord, sameJson } from './object-tree.js';

// metadata.managedFields (server-side apply). fieldsV1 is a tree whose keys are `f:<field>`,
// `k:<json of list-item keys>`, `v:<json value>` (set items), `i:<index>` and `.` (the node
// itself). A node with no children is a leaf: the manager owns that whole value, which is how
// atomic lists appear.

export type FieldsV1 = { [key: string]: FieldsV1 };
export const FieldsV1: z.ZodMiniType<FieldsV1> = z.lazy(() => z.record(z.string(), FieldsV1));

export const ManagedFieldsEntry = z.looseObject({
  manager: z._default(z.string(), ''),
  operation: z._default(z.string(), ''),
  apiVersion: z.optional(z.string()),
  fieldsType: z.optional(z.string()),
  fieldsV1: z.optional(FieldsV1),
  subresource: z.optional(z.string()),
});
export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntry>;

export type Segment = { field: string } | { key: Record<string, unknown> } | { value: unknown } | { index: number };

/** The object's managedFields; an entry that does not parse is skipped, not the whole list. */
export function managedFieldsOf(object: unknown): ManagedFieldsEntry[] {
  const raw = isRecord(object) && isRecord(object['metadata']) ? object['metadata']['managedFields'] : undefined;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = ManagedFieldsEntry.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Entries about the object's main resource: status writers (operator, agents) own nothing changeflow applies. */
export function specEntries(object: unknown): ManagedFieldsEntry[] {
  return managedFieldsOf(object).filter((e) => !e.subresource && e.fieldsV1);
}

export function mergeFields(trees: ReadonlyArray<FieldsV1 | undefined>): FieldsV1 {
  const out: FieldsV1 = {};
  for (const tree of trees) {
    for (const [k, v] of Object.entries(tree ?? {})) out[k] = mergeFields([out[k], v]);
  }
  return out;
}

function parseSegment(key: string): Segment | undefined {
  const tag = key.slice(0, 2);
  const rest = key.slice(2);
  try {
    if (tag === 'f:') return { field: rest };
    if (tag === 'k:') return { key: JSON.parse(rest) as Record<string, unknown> };
    if (tag === 'v:') return { value: JSON.parse(rest) as unknown };
    if (tag === 'i:') return { index: Number(rest) };
  } catch (err) {
    // A malformed key cannot be followed; the caller treats the subtree as unowned.
    void err;
    return undefined;
  }
  return undefined;
}

function childrenOf(node: FieldsV1): Array<[Segment, FieldsV1]> {
  const out: Array<[Segment, FieldsV1]> = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === '.') continue;
    const seg = parseSegment(k);
    if (seg) out.push([seg, v]);
  }
  return out;
}

/** Paths of every leaf a manager owns. */
export function ownedLeafPaths(fields: FieldsV1, prefix: Segment[] = []): Segment[][] {
  const children = childrenOf(fields);
  if (children.length === 0) return Object.keys(fields).length === 0 ? [prefix] : [];
  return children.flatMap(([seg, child]) => ownedLeafPaths(child, [...prefix, seg]));
}

function matchesKey(item: unknown, key: Record<string, unknown>): boolean {
  return isRecord(item) && Object.entries(key).every(([k, v]) => sameJson(item[k], v));
}

function step(value: unknown, seg: Segment): unknown {
  if ('field' in seg) return isRecord(value) ? value[seg.field] : undefined;
  if (!Array.isArray(value)) return undefined;
  if ('key' in seg) return value.find((item) => matchesKey(item, seg.key));
  if ('value' in seg) return value.find((item) => sameJson(item, seg.value));
  return value[seg.index];
}

export function valueAt(value: unknown, path: readonly Segment[]): unknown {
  return path.reduce<unknown>((v, seg) => (v === undefined ? undefined : step(v, seg)), value);
}

/** The part of `value` the fields tree covers: what that manager last applied (or updated). */
export function projectOwned(value: unknown, fields: FieldsV1): unknown {
  const children = childrenOf(fields);
  if (children.length === 0) return Object.keys(fields).length === 0 ? value : (isRecord(value) ? {} : value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const match = children.find(([seg]) => ('key' in seg && matchesKey(item, seg.key)) || ('value' in seg && sameJson(item, seg.value)) || ('index' in seg && seg.index === i));
      if (!match) continue;
      const [seg, child] = match;
      out.push('key' in seg && childrenOf(child).length === 0 && Object.keys(child).length > 0 ? { ...seg.key } : projectOwned(item, child));
    }
    return out;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [seg, child] of children) {
    if ('field' in seg && value[seg.field] !== undefined) out[seg.field] = projectOwned(value[seg.field], child);
  }
  return out;
}

export function pathText(path: readonly Segment[]): string {
  return path
    .map((seg) => {
      if ('field' in seg) return /^[A-Za-z0-9_-]+$/.test(seg.field) ? `.${seg.field}` : `[${JSON.stringify(seg.field)}]`;
      if ('key' in seg) return `[${Object.entries(seg.key).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(',')}]`;
      if ('value' in seg) return `[${JSON.stringify(seg.value)}]`;
      return `[${seg.index}]`;
    })
    .join('');
}
