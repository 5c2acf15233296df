import { canonicalJson } from '../../../shared/canonical-json.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';

// Field paths in the FieldsV1 vocabulary of server-side apply: `f:<field>` steps into a field,
// `k:{"name":"x"}` into the item of an associative list whose key fields have those values.
export type PathElement = string;
export type FieldPath = PathElement[];

// The schema facts SSA needs and that our CRDs declare with x-kubernetes-list-type=map: which
// lists merge by key (reference/cilium.md §1 and §6; containers/env/volumes for workloads), and
// which objects are free-form maps whose entries are owned one by one ("." in FieldsV1).
export const mapListKeys: Readonly<Record<string, ReadonlyArray<string>>> = {
  bgpInstances: ['name'],
  peers: ['name'],
  conditions: ['type'],
  containers: ['name'],
  initContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  ownerReferences: ['uid'],
};
export const granularMaps: ReadonlySet<string> = new Set(['labels', 'annotations', 'data', 'binaryData', 'matchLabels']);

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

export function keyElement(item: JsonObject, keys: ReadonlyArray<string>): PathElement {
  const key: JsonObject = {};
  for (const k of keys) key[k] = item[k] ?? null;
  return `k:${canonicalJson(key)}`;
}

/** The key fields of a list item, when the list is associative and the item carries them all. */
export function listItemKeys(fieldName: string | undefined, items: ReadonlyArray<Json>): ReadonlyArray<string> | undefined {
  const keys = fieldName === undefined ? undefined : mapListKeys[fieldName];
  if (!keys) return undefined;
  return items.every((i) => isObject(i) && keys.every((k) => i[k] !== undefined)) ? keys : undefined;
}

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

export function parsePathKey(key: string): FieldPath {
  return JSON.parse(key) as FieldPath;
}

function matchesKey(item: Json, element: PathElement): boolean {
  if (!isObject(item)) return false;
  const key = JSON.parse(element.slice(2)) as JsonObject;
  return Object.entries(key).every(([k, v]) => deepEqual(item[k] ?? null, v));
}

export function getAt(root: Json | undefined, path: FieldPath): Json | undefined {
  let cur: Json | undefined = root;
  for (const el of path) {
    if (cur === undefined) return undefined;
    if (el.startsWith('f:')) cur = isObject(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith('k:')) cur = Array.isArray(cur) ? cur.find((i) => matchesKey(i, el)) : undefined;
    else return undefined;
  }
  return cur;
}

/** Removes the value at path; returns whether something was removed. */
export function deleteAt(root: JsonObject, path: FieldPath): boolean {
  if (path.length === 0) return false;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1] as PathElement;
  if (last.startsWith('f:') && isObject(parent)) {
    const name = last.slice(2);
    if (!(name in parent)) return false;
    delete parent[name];
    return true;
  }
  if (last.startsWith('k:') && Array.isArray(parent)) {
    const idx = parent.findIndex((i) => matchesKey(i, last));
    if (idx < 0) return false;
    parent.splice(idx, 1);
    return true;
  }
  return false;
}

/** `.spec.bgpInstances[name="a"].localASN`, the way the API server prints paths in conflicts. */
export function formatPath(path: FieldPath): string {
  return path
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      const key = JSON.parse(el.slice(2)) as JsonObject;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}
