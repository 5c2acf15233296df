import { clone, metadataOf, stringAt, type JsonObject } from './json.js';
import type { ResourceDef } from './resources.js';

// Objects at their storage version, one global resourceVersion counter (like etcd's revision)
// and a short history of changes so watches can resume from a resourceVersion.
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  def: ResourceDef;
  object: JsonObject;
  resourceVersion: number;
}

const historyLength = 2000;

/** Decides on the stored object (read-only) whether a list returns a copy of it. */
export type StoredFilter = (stored: Readonly<JsonObject>) => boolean;

export class ObjectStore {
  private objects = new Map<string, JsonObject>();
  /** Keys by resource (group|plural): a list reads its kind only, not every object of the cluster. */
  private byResource = new Map<string, Set<string>>();
  private revision = 0;
  private history: StoreEvent[] = [];
  private listeners = new Set<(e: StoreEvent) => void>();

  static key(def: ResourceDef, namespace: string | undefined, name: string): string {
    return `${def.group}|${def.plural}|${def.namespaced ? (namespace ?? '') : ''}|${name}`;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): JsonObject | undefined {
    const obj = this.objects.get(ObjectStore.key(def, namespace, name));
    return obj ? clone(obj) : undefined;
  }

  /** Copies of the kind's objects (in one namespace), only of those `where` keeps: filtering comes before copying. */
  list(def: ResourceDef, namespace?: string, where?: StoredFilter): JsonObject[] {
    return this.peek(def, namespace, where).map((obj) => clone(obj));
  }

  /**
   * The stored objects themselves, not copies, for in-process readers that only look (the emulated
   * controllers read 500 Nodes on every pass): the caller must not change them.
   */
  peek(def: ResourceDef, namespace?: string, where?: StoredFilter): ReadonlyArray<Readonly<JsonObject>> {
    const out: JsonObject[] = [];
    for (const key of this.byResource.get(resourceKey(def)) ?? []) {
      const obj = this.objects.get(key);
      if (!obj) continue;
      if (def.namespaced && namespace !== undefined && stringAt(obj['metadata'], 'namespace') !== namespace) continue;
      if (where && !where(obj)) continue;
      out.push(obj);
    }
    return out.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }

  /** One stored object itself, not a copy (see peek): the caller must not change it. */
  peekOne(def: ResourceDef, namespace: string | undefined, name: string): Readonly<JsonObject> | undefined {
    return this.objects.get(ObjectStore.key(def, namespace, name));
  }

  /** Every stored object with its definition, for dumps. */
  *entries(): IterableIterator<[string, JsonObject]> {
    for (const [k, v] of this.objects) yield [k, clone(v)];
  }

  /** Stores obj (already complete apart from resourceVersion) and returns the stored copy. */
  put(def: ResourceDef, obj: JsonObject): JsonObject {
    const meta = metadataOf(obj);
    const key = ObjectStore.key(def, stringAt(meta, 'namespace'), stringAt(meta, 'name') ?? '');
    const type: WatchEventType = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.revision++;
    meta['resourceVersion'] = String(this.revision);
    const stored = clone(obj);
    this.objects.set(key, stored);
    let keys = this.byResource.get(resourceKey(def));
    if (!keys) this.byResource.set(resourceKey(def), (keys = new Set()));
    keys.add(key);
    this.emit({ type, def, object: clone(stored), resourceVersion: this.revision });
    return clone(stored);
  }

  remove(def: ResourceDef, namespace: string | undefined, name: string): JsonObject | undefined {
    const key = ObjectStore.key(def, namespace, name);
    const obj = this.objects.get(key);
    if (!obj) return undefined;
    this.objects.delete(key);
    this.byResource.get(resourceKey(def))?.delete(key);
    this.revision++;
    const gone = clone(obj);
    metadataOf(gone)['resourceVersion'] = String(this.revision);
    this.emit({ type: 'DELETED', def, object: clone(gone), resourceVersion: this.revision });
    return gone;
  }

  /** Events after `rv`, or undefined when history no longer reaches back that far (410 Gone). */
  eventsSince(rv: number): StoreEvent[] | undefined {
    const oldest = this.history[0]?.resourceVersion ?? this.revision + 1;
    if (rv < oldest - 1 && rv < this.revision) return undefined;
    return this.history.filter((e) => e.resourceVersion > rv);
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > historyLength) this.history.shift();
    for (const l of [...this.listeners]) l(e);
  }
}

function resourceKey(def: ResourceDef): string {
  return `${def.group}|${def.plural}`;
}

function sortKey(obj: JsonObject): string {
  const meta = obj['metadata'];
  return `${stringAt(meta, 'namespace') ?? ''}/${stringAt(meta, 'name') ?? ''}`;
}
