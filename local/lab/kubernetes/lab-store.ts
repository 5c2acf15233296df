import { deepEqual, isObject, labelsOf, stringAt, type JsonObject } from './json.js';
import { parseSelectorQuery } from './label-selector.js';
import type { ObjectStore, StoreEvent, StoredFilter } from './object-store.js';
import type { ObjectWriter } from './object-writer.js';
import { storageApiVersion, type ResourceDef, type ResourceRegistry } from './resources.js';
import { ChangeflowError } from '../../../shared/errors.js';

// The in-process face of the emulated cluster for the emulated operator/agents, the lab world and
// the lab `cilium` executable: read by apiVersion/kind/name, write as a named field manager.
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export class UnknownKind extends ChangeflowError {
  override readonly name = 'UnknownKind' as const;
}

export class LabStore {
  constructor(
    readonly registry: ResourceRegistry,
    private readonly objects: ObjectStore,
    private readonly writer: ObjectWriter,
  ) {}

  /** The apiVersion the cluster stores a kind at (cilium.io/v2 on 1.18, v2alpha1 for BGP on 1.17). */
  storageVersionOf(kind: string, group = 'cilium.io'): string | undefined {
    const def = this.registry.defs.find((d) => d.kind === kind && d.group === group);
    return def ? storageApiVersion(def) : undefined;
  }

  get(apiVersion: string, kind: string, name: string, namespace?: string): JsonObject | undefined {
    const def = this.def(apiVersion, kind);
    const obj = this.objects.get(def, namespace, name);
    return obj ? this.writer.present(obj, apiVersion) : undefined;
  }

  /** `where` sees the stored object before it is copied: on 5 000 Services, cheaper than filtering copies. */
  list(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string; where?: StoredFilter } = {}): JsonObject[] {
    const def = this.def(apiVersion, kind);
    const match = parseSelectorQuery(opts.labelSelector);
    const where = opts.where;
    // The list hands out fresh copies already: only the apiVersion is the caller's.
    return this.objects
      .list(def, opts.namespace, (o) => match(labelsOf(o)) && (where === undefined || where(o)))
      .map((o) => ({ ...o, apiVersion }));
  }

  /**
   * The stored objects without copying, for controllers that only read them (at the storage
   * version): the caller must not change them.
   */
  peek(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string } = {}): ReadonlyArray<Readonly<JsonObject>> {
    const def = this.def(apiVersion, kind);
    const match = parseSelectorQuery(opts.labelSelector);
    return this.objects.peek(def, opts.namespace, (o) => match(labelsOf(o)));
  }

  /** Creates an object as an Update by `manager` (how kubelet, helm and controllers write). */
  create(manager: string, obj: JsonObject): JsonObject {
    const ref = refOf(obj);
    const def = this.def(ref.apiVersion, ref.kind);
    return this.writer.create({ def, apiVersion: ref.apiVersion, namespace: ref.namespace }, obj, { manager }).object;
  }

  /** Server-side apply as `manager` (forced: controllers own what they write). */
  apply(manager: string, obj: JsonObject, opts: { subresource?: 'status'; force?: boolean } = {}): JsonObject {
    const ref = refOf(obj);
    const def = this.def(ref.apiVersion, ref.kind);
    return this.writer.apply({ def, apiVersion: ref.apiVersion, name: ref.name, namespace: ref.namespace, subresource: opts.subresource }, obj, {
      manager,
      force: opts.force ?? true,
    }).object;
  }

  /**
   * Replaces status through /status as an Update by `manager`; no write when nothing changed (the
   * controllers re-state every status on every pass, so that case reads without copying).
   */
  writeStatus(manager: string, ref: ObjectRef, status: JsonObject | undefined): void {
    const def = this.def(ref.apiVersion, ref.kind);
    const stored = this.objects.peekOne(def, ref.namespace, ref.name);
    if (!stored || deepEqual(stored['status'], status)) return;
    const before = this.objects.get(def, ref.namespace, ref.name);
    if (!before) return;
    const body: JsonObject = { ...before, apiVersion: ref.apiVersion };
    if (status === undefined) delete body['status'];
    else body['status'] = status;
    const sub = def.statusSubresource ? 'status' : undefined;
    this.writer.replace({ def, apiVersion: ref.apiVersion, name: ref.name, namespace: ref.namespace, subresource: sub }, body, { manager });
  }

  delete(ref: ObjectRef): boolean {
    const def = this.def(ref.apiVersion, ref.kind);
    if (!this.objects.get(def, ref.namespace, ref.name)) return false;
    this.writer.delete({ def, apiVersion: ref.apiVersion, name: ref.name, namespace: ref.namespace });
    return true;
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    return this.objects.subscribe(listener);
  }

  private def(apiVersion: string, kind: string): ResourceDef {
    const def = this.registry.byKind(apiVersion, kind);
    if (!def) throw new UnknownKind(`the lab cluster does not serve ${kind} at ${apiVersion}; served: ${this.registry.defs.map((d) => `${d.kind}(${d.versions.join(',')})`).join(' ')}`);
    return def;
  }
}

export function refOf(obj: JsonObject): ObjectRef {
  const meta = isObject(obj['metadata']) ? obj['metadata'] : {};
  return {
    apiVersion: String(obj['apiVersion'] ?? ''),
    kind: String(obj['kind'] ?? ''),
    name: stringAt(meta, 'name') ?? '',
    namespace: stringAt(meta, 'namespace'),
  };
}
