import { listItemKeys } from './field-path.js';
import { clone, deepEqual, isObject, type Json, type JsonObject } from './json.js';
import { ChangeflowError } from '../../../shared/errors.js';

// The three ways a request changes an object: an applied configuration merged into the live one
// (associative lists by key, other lists atomic), an RFC 7386 merge patch and an RFC 6902 JSON
// patch. Strategic merge (built-in kinds only) is the merge patch plus keyed list merging.

export function mergeApplied(live: Json | undefined, config: Json, fieldName?: string): Json {
  if (isObject(config) && isObject(live)) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(config)) out[k] = mergeApplied(live[k], v, k);
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const keys = listItemKeys(fieldName, [...config, ...live]);
    if (keys) {
      const out = live.map((i) => clone(i));
      for (const item of config) {
        const idx = out.findIndex((i) => isObject(i) && isObject(item) && keys.every((k) => deepEqual(i[k], item[k])));
        if (idx >= 0) out[idx] = mergeApplied(out[idx], item);
        else out.push(clone(item));
      }
      return out;
    }
  }
  return clone(config);
}

export function mergePatch(target: Json | undefined, patch: Json, keyedLists = false, fieldName?: string): Json {
  if (!isObject(patch)) {
    if (keyedLists && Array.isArray(patch) && Array.isArray(target)) return mergeApplied(target, stripDirectives(patch), fieldName);
    return clone(patch);
  }
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (keyedLists && k.startsWith('$')) continue; // $setElementOrder, $retainKeys, $patch: ordering hints we do not model
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v, keyedLists, k);
  }
  return out;
}

function stripDirectives(list: Json[]): Json[] {
  return list.filter((i) => !(isObject(i) && '$patch' in i));
}

export class JsonPatchError extends ChangeflowError {
  override readonly name = 'JsonPatchError' as const;
}

const JsonPatchOp = (op: Json): { op: string; path: string; from?: string; value?: Json } => {
  if (!isObject(op) || typeof op['op'] !== 'string' || typeof op['path'] !== 'string') {
    throw new JsonPatchError('each JSON patch operation needs string "op" and "path"');
  }
  const from = op['from'];
  return { op: op['op'], path: op['path'], from: typeof from === 'string' ? from : undefined, value: op['value'] };
};

export function jsonPatch(target: JsonObject, ops: Json): JsonObject {
  if (!Array.isArray(ops)) throw new JsonPatchError('a JSON patch is an array of operations');
  let doc: Json = clone(target);
  for (const raw of ops) {
    const op = JsonPatchOp(raw);
    switch (op.op) {
      case 'add':
        doc = put(doc, tokens(op.path), requireValue(op), 'add');
        break;
      case 'replace':
        doc = put(doc, tokens(op.path), requireValue(op), 'replace');
        break;
      case 'remove':
        doc = remove(doc, tokens(op.path));
        break;
      case 'move': {
        const from = tokens(requireFrom(op));
        const value = read(doc, from);
        doc = put(remove(doc, from), tokens(op.path), value, 'add');
        break;
      }
      case 'copy':
        doc = put(doc, tokens(op.path), clone(read(doc, tokens(requireFrom(op)))), 'add');
        break;
      case 'test':
        if (!deepEqual(read(doc, tokens(op.path)), requireValue(op))) throw new JsonPatchError(`test operation failed at ${op.path}`);
        break;
      default:
        throw new JsonPatchError(`unknown JSON patch operation "${op.op}"`);
    }
  }
  if (!isObject(doc)) throw new JsonPatchError('a JSON patch may not replace the whole object with a non-object');
  return doc;
}

function requireValue(op: { op: string; value?: Json }): Json {
  if (op.value === undefined) throw new JsonPatchError(`"${op.op}" needs a "value"`);
  return op.value;
}

function requireFrom(op: { op: string; from?: string }): string {
  if (op.from === undefined) throw new JsonPatchError(`"${op.op}" needs a "from"`);
  return op.from;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function read(doc: Json, path: string[]): Json {
  let cur: Json = doc;
  for (const t of path) {
    if (Array.isArray(cur)) cur = cur[Number(t)] as Json;
    else if (isObject(cur) && t in cur) cur = cur[t] as Json;
    else throw new JsonPatchError(`path /${path.join('/')} does not exist`);
    if (cur === undefined) throw new JsonPatchError(`path /${path.join('/')} does not exist`);
  }
  return cur;
}

function put(doc: Json, path: string[], value: Json, mode: 'add' | 'replace'): Json {
  if (path.length === 0) return clone(value);
  const parent = read(doc, path.slice(0, -1));
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) throw new JsonPatchError(`index ${last} is out of range`);
    if (mode === 'add') parent.splice(idx, 0, clone(value));
    else if (idx < parent.length) parent[idx] = clone(value);
    else throw new JsonPatchError(`index ${last} is out of range`);
  } else if (isObject(parent)) {
    if (mode === 'replace' && !(last in parent)) throw new JsonPatchError(`path /${path.join('/')} does not exist`);
    parent[last] = clone(value);
  } else {
    throw new JsonPatchError(`parent of /${path.join('/')} is not a container`);
  }
  return doc;
}

function remove(doc: Json, path: string[]): Json {
  const parent = read(doc, path.slice(0, -1));
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const idx = Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length) throw new JsonPatchError(`index ${last} is out of range`);
    parent.splice(idx, 1);
  } else if (isObject(parent) && last in parent) {
    delete parent[last];
  } else {
    throw new JsonPatchError(`path /${path.join('/')} does not exist`);
  }
  return doc;
}
