import * as z from '../../../shared/zod.js';
import { deleteAt, getAt, parsePathKey, pathKey, type FieldPath } from './field-path.js';
import { fieldsOf, fromFieldsV1, ownsAtOrBelow, toFieldsV1, type FieldSet } from './field-set.js';
import { mergeApplied } from './patches.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';

// Field ownership as the API server keeps it in metadata.managedFields. Apply: the manager owns
// exactly what it sent; fields it sent before and omits now are removed unless someone else owns
// them; changing a value another manager owns is a conflict unless forced. Update (create, put,
// merge/json patch, controller writes): the writer takes every field it changed from the others.
export const ManagedFieldsEntry = z.looseObject({
  manager: z.string(),
  operation: z.enum(['Apply', 'Update']),
  apiVersion: z.string(),
  time: z.optional(z.string()),
  fieldsType: z.optional(z.string()),
  fieldsV1: z.optional(z.record(z.string(), z.unknown())),
  subresource: z.optional(z.string()),
});
export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntry>;

export interface Owner {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time: string;
  fields: FieldSet;
}

export interface Conflict {
  owner: Owner;
  path: FieldPath;
}

export function readOwners(entries: Json | undefined): Owner[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((raw) => {
    const e = ManagedFieldsEntry.parse(raw);
    return {
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      subresource: e.subresource,
      time: e.time ?? '',
      fields: fromFieldsV1(e.fieldsV1 as Json | undefined),
    };
  });
}

export function writeOwners(owners: ReadonlyArray<Owner>): Json[] {
  return owners
    .filter((o) => o.fields.size > 0)
    .map((o) => {
      const entry: JsonObject = { manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, time: o.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(o.fields) };
      if (o.subresource) entry['subresource'] = o.subresource;
      return entry;
    });
}

function isApplier(o: Owner, manager: string, subresource: string | undefined): boolean {
  return o.manager === manager && o.operation === 'Apply' && (o.subresource ?? '') === (subresource ?? '');
}

function isUpdater(o: Owner, manager: string, apiVersion: string, subresource: string | undefined): boolean {
  return o.manager === manager && o.operation === 'Update' && o.apiVersion === apiVersion && (o.subresource ?? '') === (subresource ?? '');
}

function cloneOwners(owners: ReadonlyArray<Owner>): Owner[] {
  return owners.map((o) => ({ ...o, fields: new Set(o.fields) }));
}

/** A member whose value is compared for conflicts: scalars, atomic lists and empty objects. */
function isLeaf(value: Json | undefined): boolean {
  return !isObject(value) || Object.keys(value).length === 0;
}

export interface ApplyInput {
  live: JsonObject | undefined;
  config: JsonObject;
  owners: ReadonlyArray<Owner>;
  manager: string;
  apiVersion: string;
  subresource?: string;
  force: boolean;
  time: string;
}

export type ApplyOutcome = { ok: true; merged: JsonObject; owners: Owner[] } | { ok: false; conflicts: Conflict[] };

export function applyOwnership(input: ApplyInput): ApplyOutcome {
  const owners = cloneOwners(input.owners);
  const configSet = fieldsOf(input.config);
  const self = owners.find((o) => isApplier(o, input.manager, input.subresource));
  const others = owners.filter((o) => o !== self);
  const conflicts: Conflict[] = [];
  for (const key of configSet) {
    const path = parsePathKey(key);
    const wanted = getAt(input.config, path);
    if (!isLeaf(wanted) || deepEqual(wanted, getAt(input.live, path))) continue;
    for (const o of others) if (o.fields.has(key)) conflicts.push({ owner: o, path });
  }
  if (conflicts.length > 0 && !input.force) return { ok: false, conflicts };
  for (const c of conflicts) c.owner.fields.delete(pathKey(c.path));

  const merged = mergeApplied(input.live ?? {}, input.config) as JsonObject;
  const dropped = self ? [...self.fields].filter((k) => !configSet.has(k)) : [];
  for (const key of dropped.sort((a, b) => a.length - b.length)) {
    if (ownsAtOrBelow(configSet, key) || others.some((o) => ownsAtOrBelow(o.fields, key))) continue;
    const path = parsePathKey(key);
    if (deleteAt(merged, path)) pruneEmptyParents(merged, path, [configSet, ...others.map((o) => o.fields)]);
  }
  const next: Owner = { manager: input.manager, operation: 'Apply', apiVersion: input.apiVersion, subresource: input.subresource, time: input.time, fields: configSet };
  const result = self ? owners.map((o) => (o === self ? next : o)) : [...owners, next];
  return { ok: true, merged, owners: keepPresent(result, merged, input.subresource) };
}

export interface UpdateInput {
  before: JsonObject | undefined;
  after: JsonObject;
  owners: ReadonlyArray<Owner>;
  manager: string;
  apiVersion: string;
  subresource?: string;
  time: string;
}

export function updateOwnership(input: UpdateInput): Owner[] {
  const owners = cloneOwners(input.owners);
  const beforeSet = input.before ? fieldsOf(input.before) : new Set<string>();
  const afterSet = fieldsOf(input.after);
  const changed = [...afterSet].filter((k) => {
    if (!beforeSet.has(k)) return true;
    const path = parsePathKey(k);
    const now = getAt(input.after, path);
    return isLeaf(now) && !deepEqual(now, getAt(input.before, path));
  });
  if (changed.length === 0) return keepPresent(owners, input.after, input.subresource);
  for (const o of owners) for (const k of changed) o.fields.delete(k);
  let self = owners.find((o) => isUpdater(o, input.manager, input.apiVersion, input.subresource));
  if (!self) {
    self = { manager: input.manager, operation: 'Update', apiVersion: input.apiVersion, subresource: input.subresource, time: input.time, fields: new Set() };
    owners.push(self);
  }
  for (const k of changed) self.fields.add(k);
  self.time = input.time;
  return keepPresent(owners, input.after, input.subresource);
}

/**
 * Ownership of fields that no longer exist is dropped, and managers left with nothing vanish.
 * `obj` is one scope (main resource or /status), so only that scope's managers are checked.
 */
function keepPresent(owners: Owner[], obj: JsonObject, subresource: string | undefined): Owner[] {
  const present = fieldsOf(obj);
  for (const o of owners) {
    if ((o.subresource ?? '') !== (subresource ?? '')) continue;
    for (const k of [...o.fields]) if (!present.has(k)) o.fields.delete(k);
  }
  return owners.filter((o) => o.fields.size > 0);
}

function pruneEmptyParents(root: JsonObject, path: FieldPath, sets: ReadonlyArray<FieldSet>): void {
  for (let n = path.length - 1; n > 0; n--) {
    const parentPath = path.slice(0, n);
    const value = getAt(root, parentPath);
    const empty = (isObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);
    if (!empty || sets.some((s) => s.has(pathKey(parentPath)))) return;
    deleteAt(root, parentPath);
  }
}

/** The API server's conflict message (apiserver fieldmanager getConflictMessage/printManager). */
export function conflictMessage(conflicts: ReadonlyArray<Conflict>, format: (p: FieldPath) => string): string {
  if (conflicts.length === 1) {
    const c = conflicts[0] as Conflict;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.owner)}: ${format(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const m = printManager(c.owner);
    byManager.set(m, [...(byManager.get(m) ?? []), format(c.path)]);
  }
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of byManager.get(m) ?? []) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export function printManager(o: Owner): string {
  let s = JSON.stringify(o.manager);
  if (o.subresource) s += ` with subresource ${JSON.stringify(o.subresource)}`;
  return o.operation === 'Update' ? `${s} using ${o.apiVersion}` : s;
}

