import { fieldElement, granularMaps, keyElement, listItemKeys, parsePathKey, pathKey, type FieldPath } from './field-path.js';
import { isObject, type Json, type JsonObject } from './json.js';

// A field set is what one manager owns: the leaves it set (scalars, atomic lists, empty objects),
// the items of associative lists, and free-form maps. Stored as path keys, serialised as FieldsV1.
export type FieldSet = Set<string>;

export function fieldsOf(value: JsonObject): FieldSet {
  const set: FieldSet = new Set();
  for (const [k, v] of Object.entries(value)) walk(v, [fieldElement(k)], k, set);
  return set;
}

function walk(value: Json, path: FieldPath, fieldName: string | undefined, set: FieldSet): void {
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 || (fieldName !== undefined && granularMaps.has(fieldName))) set.add(pathKey(path));
    for (const [k, v] of entries) walk(v, [...path, fieldElement(k)], k, set);
    return;
  }
  if (Array.isArray(value)) {
    const keys = value.length > 0 ? listItemKeys(fieldName, value) : undefined;
    if (!keys) {
      set.add(pathKey(path));
      return;
    }
    for (const item of value) {
      if (!isObject(item)) continue;
      const itemPath = [...path, keyElement(item, keys)];
      set.add(pathKey(itemPath));
      for (const [k, v] of Object.entries(item)) walk(v, [...itemPath, fieldElement(k)], k, set);
    }
    return;
  }
  set.add(pathKey(path));
}

/** The FieldsV1 tree: `{"f:spec":{"f:x":{}}}`, with "." marking a member that also has children. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  const members: JsonObject[] = [];
  for (const key of set) {
    let node = root;
    for (const el of parsePathKey(key)) {
      const next = node[el];
      if (isObject(next)) node = next;
      else {
        const fresh: JsonObject = {};
        node[el] = fresh;
        node = fresh;
      }
    }
    members.push(node);
  }
  for (const node of members) if (Object.keys(node).some((k) => k !== '.')) node['.'] = {};
  return root;
}

export function fromFieldsV1(tree: Json | undefined): FieldSet {
  const set: FieldSet = new Set();
  const visit = (node: JsonObject, path: FieldPath): void => {
    const children = Object.keys(node).filter((k) => k !== '.');
    if (path.length > 0 && (children.length === 0 || '.' in node)) set.add(pathKey(path));
    for (const k of children) {
      const child = node[k];
      if (isObject(child)) visit(child, [...path, k]);
    }
  };
  if (isObject(tree)) visit(tree, []);
  return set;
}

/** True when `key` or anything below it is in the set. */
export function ownsAtOrBelow(set: FieldSet, key: string): boolean {
  if (set.has(key)) return true;
  const prefix = key.slice(0, -1); // JSON array without its closing bracket
  for (const k of set) if (k.startsWith(prefix + ',')) return true;
  return false;
}

/** True when `key` or any parent of it is in the set. */
export function ownsAtOrAbove(set: FieldSet, key: string): boolean {
  const path = parsePathKey(key);
  for (let n = path.length; n > 0; n--) if (set.has(pathKey(path.slice(0, n)))) return true;
  return false;
}
