import { randomBytes, randomUUID } from 'node:crypto';
import { formatPath } from './field-path.js';
import { clone, deepEqual, isObject, metadataOf, stringAt, type Json, type JsonObject } from './json.js';
import { applyOwnership, conflictMessage, printManager, readOwners, updateOwnership, writeOwners } from './managed-fields.js';
import { assemble, scopeOf, specChanged, type Subresource } from './object-scope.js';
import type { ObjectStore } from './object-store.js';
import { jsonPatch, JsonPatchError, mergePatch } from './patches.js';
import { storageApiVersion, type ResourceDef, type ResourceRegistry } from './resources.js';
import { KubeStatusError, statusErrors } from './status-errors.js';
import { validateObject } from './validation.js';

// The write semantics of the API server over the store: create, replace, patch, apply, delete,
// each with field ownership, generation, validation and dryRun. HTTP routes and the in-process
// operator both write through here, so their managedFields look the same.
export interface Target {
  def: ResourceDef;
  apiVersion: string;
  namespace?: string;
  name: string;
  subresource?: Subresource;
}

export interface WriteOptions {
  manager: string;
  dryRun?: boolean;
}

export interface WriteResult {
  code: 200 | 201;
  object: JsonObject;
}

export const patchTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export class ObjectWriter {
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly now: () => Date,
  ) {}

  /** The object as a client of `apiVersion` sees it: same object, apiVersion rewritten. */
  present(obj: JsonObject, apiVersion: string): JsonObject {
    return { ...clone(obj), apiVersion };
  }

  read(t: Target): JsonObject {
    const obj = this.store.get(t.def, t.namespace, t.name);
    if (!obj) throw statusErrors.notFound(t.def, t.name);
    return this.present(obj, t.apiVersion);
  }

  create(t: Omit<Target, 'name'>, body: Json, opts: WriteOptions): WriteResult {
    if (!isObject(body)) throw statusErrors.badRequest('the body of the request must be a JSON object');
    const meta = metadataOf(body);
    let name = stringAt(meta, 'name');
    const generateName = stringAt(meta, 'generateName');
    if (!name && generateName) name = generateName + randomBytes(3).toString('hex').slice(0, 5);
    if (!name) throw statusErrors.invalid(t.def, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' }]);
    const target: Target = { ...t, name };
    this.checkIdentity(target, body);
    if (this.store.get(t.def, t.namespace, name)) throw statusErrors.alreadyExists(t.def, name);
    return { code: 201, object: this.update(target, undefined, { ...body, metadata: { ...meta, name } }, opts) };
  }

  replace(t: Target, body: Json, opts: WriteOptions): WriteResult {
    if (!isObject(body)) throw statusErrors.badRequest('the body of the request must be a JSON object');
    this.checkIdentity(t, body);
    const before = this.existing(t);
    const rv = stringAt(body['metadata'], 'resourceVersion');
    if (rv && rv !== stringAt(before['metadata'], 'resourceVersion')) throw statusErrors.staleResourceVersion(t.def, t.name);
    return { code: 200, object: this.update(t, before, body, opts) };
  }

  patch(t: Target, body: Json, contentType: string, opts: WriteOptions): WriteResult {
    const before = this.existing(t);
    const current = this.present(before, t.apiVersion);
    let after: Json;
    try {
      if (contentType === patchTypes.merge) after = mergePatch(current, body);
      else if (contentType === patchTypes.json) after = jsonPatch(current, body);
      else if (contentType === patchTypes.strategic && t.def.group !== 'cilium.io') after = mergePatch(current, body, true);
      else throw statusErrors.unsupportedMediaType(contentType, [patchTypes.json, patchTypes.merge, patchTypes.apply]);
    } catch (err) {
      if (err instanceof JsonPatchError) throw statusErrors.invalid(t.def, t.name, [{ field: 'patch', message: err.message }]);
      throw err;
    }
    if (!isObject(after)) throw statusErrors.badRequest('the patch must leave an object');
    return { code: 200, object: this.update(t, before, after, opts) };
  }

  apply(t: Target, body: Json, opts: WriteOptions & { force?: boolean }): WriteResult {
    if (!opts.manager) throw statusErrors.fieldManagerRequired();
    if (!isObject(body)) throw statusErrors.badRequest('the body of the request must be an object');
    this.checkIdentity(t, body);
    const before = this.store.get(t.def, t.namespace, t.name);
    if (!before && t.subresource === 'status') throw statusErrors.notFound(t.def, t.name);
    const outcome = applyOwnership({
      live: before ? scopeOf(t.def, before, t.subresource) : undefined,
      config: scopeOf(t.def, body, t.subresource),
      owners: readOwners(before?.['metadata'] && isObject(before['metadata']) ? before['metadata']['managedFields'] : undefined),
      manager: opts.manager,
      apiVersion: t.apiVersion,
      subresource: t.subresource,
      force: opts.force ?? false,
      time: this.timestamp(),
    });
    if (!outcome.ok) {
      throw new KubeStatusError(409, 'Conflict', conflictMessage(outcome.conflicts, formatPath), {
        causes: outcome.conflicts.map((c) => ({
          type: 'FieldManagerConflict',
          message: `conflict with ${printManager(c.owner)}`,
          field: formatPath(c.path),
        })),
      });
    }
    const candidate = assemble(t.def, before, outcome.merged, t.subresource);
    const object = this.commit(t, before, candidate, writeOwners(outcome.owners), opts.dryRun ?? false);
    return { code: before ? 200 : 201, object };
  }

  delete(t: Target, opts: { dryRun?: boolean } = {}): JsonObject {
    const before = this.existing(t);
    if (!opts.dryRun) this.store.remove(t.def, t.namespace, t.name);
    return this.present(before, t.apiVersion);
  }

  private existing(t: Target): JsonObject {
    const before = this.store.get(t.def, t.namespace, t.name);
    if (!before) throw statusErrors.notFound(t.def, t.name);
    return before;
  }

  private checkIdentity(t: Target, body: JsonObject): void {
    const apiVersion = body['apiVersion'];
    const kind = body['kind'];
    if (apiVersion !== undefined && apiVersion !== t.apiVersion) {
      throw statusErrors.badRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${t.apiVersion})`);
    }
    if (kind !== undefined && kind !== t.def.kind) {
      throw statusErrors.badRequest(`the kind in the data (${String(kind)}) does not match the expected kind (${t.def.kind})`);
    }
    const name = stringAt(body['metadata'], 'name');
    if (name !== undefined && name !== t.name) {
      throw statusErrors.badRequest(`the name of the object (${name}) does not match the name on the URL (${t.name})`);
    }
    const ns = stringAt(body['metadata'], 'namespace');
    if (t.def.namespaced && ns !== undefined && ns !== t.namespace) {
      throw statusErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  private update(t: Target, before: JsonObject | undefined, after: JsonObject, opts: WriteOptions): JsonObject {
    const scopedAfter = scopeOf(t.def, after, t.subresource);
    const owners = updateOwnership({
      before: before ? scopeOf(t.def, before, t.subresource) : undefined,
      after: scopedAfter,
      owners: readOwners(before && isObject(before['metadata']) ? before['metadata']['managedFields'] : undefined),
      manager: opts.manager,
      apiVersion: t.apiVersion,
      subresource: t.subresource,
      time: this.timestamp(),
    });
    return this.commit(t, before, assemble(t.def, before, scopedAfter, t.subresource), writeOwners(owners), opts.dryRun ?? false);
  }

  private commit(t: Target, before: JsonObject | undefined, candidate: JsonObject, managedFields: Json[], dryRun: boolean): JsonObject {
    const def = t.def;
    if (def.namespaced) {
      const nsDef = this.registry.byKind('v1', 'Namespace');
      if (!t.namespace) throw statusErrors.badRequest('a namespace is required for namespaced resources');
      if (nsDef && !this.store.get(nsDef, undefined, t.namespace)) throw statusErrors.namespaceNotFound(t.namespace);
    }
    const obj: JsonObject = { apiVersion: storageApiVersion(def), kind: def.kind, ...candidate };
    obj['apiVersion'] = storageApiVersion(def);
    obj['kind'] = def.kind;
    const meta = metadataOf(obj);
    meta['name'] = t.name;
    if (def.namespaced) meta['namespace'] = t.namespace ?? null;
    else delete meta['namespace'];
    meta['uid'] = stringAt(before?.['metadata'], 'uid') ?? randomUUID();
    meta['creationTimestamp'] = stringAt(before?.['metadata'], 'creationTimestamp') ?? this.timestamp();
    if (def.generation) {
      const prev = before && isObject(before['metadata']) ? before['metadata']['generation'] : undefined;
      meta['generation'] = typeof prev === 'number' ? (specChanged(before ?? {}, obj) ? prev + 1 : prev) : 1;
    }
    if (managedFields.length > 0) meta['managedFields'] = managedFields;
    else delete meta['managedFields'];
    if (before) meta['resourceVersion'] = stringAt(before['metadata'], 'resourceVersion') ?? '0';
    const errors = validateObject(def, obj);
    if (errors.length > 0) throw statusErrors.invalid(def, t.name, errors);
    if (before && sameContent(before, obj)) return this.present(before, t.apiVersion);
    if (dryRun) return this.present(obj, t.apiVersion);
    return this.present(this.store.put(def, obj), t.apiVersion);
  }

  private timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

/** A write that changes nothing but timestamps is not a write (no new resourceVersion). */
function sameContent(a: JsonObject, b: JsonObject): boolean {
  const strip = (o: JsonObject): JsonObject => {
    const c = clone(o);
    const meta = metadataOf(c);
    delete meta['resourceVersion'];
    const mf = meta['managedFields'];
    if (Array.isArray(mf)) meta['managedFields'] = mf.map((e) => (isObject(e) ? { ...e, time: null } : e));
    return c;
  };
  return deepEqual(strip(a), strip(b));
}

