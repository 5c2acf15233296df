import type { KubeObject } from '../../plan/index.js';
import { fieldManager, managedByLabel } from '../ownership.js';
import { isRecord, sameJson } from './object-tree.js';
import { mergeFields, ownedLeafPaths, pathText, specEntries, valueAt, type FieldsV1 } from './managed-fields.js';

// Who owns the fields a manifest would set. A server-side apply without force fails with 409 when
// it changes a field another manager owns; the precheck reports those fields before anything runs.

export interface FieldConflict {
  readonly manager: string;
  readonly operation: string;
  readonly path: string;
  readonly current: unknown;
  readonly desired: unknown;
}

/** Fields of `current` owned by other managers that `desired` would set to a different value. */
export function conflictingFields(current: KubeObject, desired: KubeObject): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const entry of specEntries(current)) {
    if (entry.manager === fieldManager || !entry.fieldsV1) continue;
    for (const path of ownedLeafPaths(entry.fieldsV1)) {
      const want = valueAt(desired, path);
      if (want === undefined) continue;
      const have = valueAt(current, path);
      if (!sameJson(have, want)) out.push({ manager: entry.manager, operation: entry.operation, path: pathText(path), current: have, desired: want });
    }
  }
  return out;
}

/** What changeflow's own Apply entries cover, or undefined when it never applied this object. */
export function changeflowFields(current: KubeObject): FieldsV1 | undefined {
  const mine = specEntries(current).filter((e) => e.manager === fieldManager && e.operation === 'Apply');
  return mine.length > 0 ? mergeFields(mine.map((e) => e.fieldsV1)) : undefined;
}

export function isManagedByChangeflow(current: KubeObject): boolean {
  const labels = isRecord(current.metadata['labels']) ? current.metadata['labels'] : {};
  return labels[managedByLabel.key] === managedByLabel.value || changeflowFields(current) !== undefined;
}

/** Managers other than changeflow with fields on the object (status writers excluded). */
export function otherManagers(current: KubeObject): string[] {
  return [...new Set(specEntries(current).map((e) => e.manager).filter((m) => m !== fieldManager))].sort();
}

export { ownedLeafPaths };
