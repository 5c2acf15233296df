import { clone, deepEqual, isObject, type JsonObject } from './json.js';
import type { ResourceDef } from './resources.js';

// Which part of an object a request may change. The main resource never writes metadata the
// server owns, nor status when a /status subresource exists; /status writes only status.
const systemMetadata = [
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink',
  'deletionTimestamp', 'deletionGracePeriodSeconds',
] as const;

export type Subresource = 'status' | undefined;

export function scopeOf(def: ResourceDef, obj: JsonObject, subresource: Subresource): JsonObject {
  if (subresource === 'status') return obj['status'] === undefined ? {} : { status: clone(obj['status']) };
  const out = clone(obj);
  delete out['apiVersion'];
  delete out['kind'];
  if (def.statusSubresource) delete out['status'];
  const meta = out['metadata'];
  if (isObject(meta)) {
    for (const k of systemMetadata) delete meta[k];
    if (Object.keys(meta).length === 0) delete out['metadata'];
  }
  return out;
}

/** Puts a changed scope back together with the parts of `before` the request may not touch. */
export function assemble(def: ResourceDef, before: JsonObject | undefined, scoped: JsonObject, subresource: Subresource): JsonObject {
  if (subresource === 'status') {
    const out = clone(before ?? {});
    if (scoped['status'] === undefined) delete out['status'];
    else out['status'] = clone(scoped['status']);
    return out;
  }
  const out = clone(scoped);
  const meta: JsonObject = isObject(out['metadata']) ? out['metadata'] : {};
  const beforeMeta = isObject(before?.['metadata']) ? before['metadata'] : {};
  for (const k of systemMetadata) if (beforeMeta[k] !== undefined) meta[k] = clone(beforeMeta[k]);
  out['metadata'] = meta;
  if (def.statusSubresource && before?.['status'] !== undefined) out['status'] = clone(before['status']);
  return out;
}

/** Spec-like content changed (what bumps metadata.generation): anything but metadata and status. */
export function specChanged(before: JsonObject, after: JsonObject): boolean {
  const strip = (o: JsonObject): JsonObject => {
    const c = { ...o };
    delete c['metadata'];
    delete c['status'];
    delete c['apiVersion'];
    delete c['kind'];
    return c;
  };
  return !deepEqual(strip(before), strip(after));
}
