import { deepEqual, isObject, labelsOf, stringAt, type JsonObject } from './json.js';
import { parseSelectorQuery } from './label-selector.js';
import type { ObjectStore, StoreEvent } from './object-store.js';
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

  list(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string } = {}): JsonObject[] {
    const def = this.def(apiVersion, kind);
    const match = parseSelectorQuery(opts.labelSelector);
    return this.objects
      .list(def, opts.namespace)
      .filter((o) => match(labelsOf(o)))
      .map((o) => this.writer.present(o, apiVersion));
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

  /** Replaces status through /status as an Update by `manager`; no write when nothing changed. */
  writeStatus(manager: string, ref: ObjectRef, status: JsonObject | undefined): JsonObject | undefined {
    const def = this.def(ref.apiVersion, ref.kind);
    const before = this.objects.get(def, ref.namespace, ref.name);
    if (!before) return undefined;
    if (deepEqual(before['status'], status)) return this.writer.present(before, ref.apiVersion);
    const body: JsonObject = { ...before, apiVersion: ref.apiVersion };
    if (status === undefined) delete body['status'];
    else body['status'] = status;
    const sub = def.statusSubresource ? 'status' : undefined;
    return this.writer.replace({ def, apiVersion: ref.apiVersion, name: ref.name, namespace: ref.namespace, subresource: sub }, body, { manager }).object;
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
