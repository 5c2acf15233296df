import { createHash } from 'node:crypto';
import { arrayAt, clone, isObject, objectAt, stringAt, type JsonObject } from './json.js';
import type { ObjectStore } from './object-store.js';

// GET /_lab/dump for Kubernetes (docs/architecture.md §3.5): every object keyed by
// apiVersion/kind/[namespace/]name, without what the server or controllers set on every write
// (resourceVersion, uid, managedFields, timestamps, generation, status), so that the state before
// a change and after its rollback compare byte for byte. The restartedAt annotation that
// `kubectl rollout restart` leaves on pod templates is a timestamp too and goes the same way.
const volatileMetadata = ['resourceVersion', 'uid', 'managedFields', 'creationTimestamp', 'generation', 'deletionTimestamp', 'selfLink'];
const restartedAt = 'kubectl.kubernetes.io/restartedAt';

export function dumpObjects(store: ObjectStore): JsonObject {
  const objects: JsonObject = {};
  for (const [, stored] of store.entries()) {
    const obj = clone(stored);
    delete obj['status'];
    const meta = objectAt(obj, 'metadata') ?? {};
    for (const k of volatileMetadata) delete meta[k];
    for (const ref of arrayAt(meta, 'ownerReferences')) if (isObject(ref)) delete ref['uid'];
    stripRestartedAt(meta);
    stripRestartedAt(objectAt(objectAt(objectAt(obj, 'spec'), 'template'), 'metadata'));
    if (obj['kind'] === 'Secret') digestSecretData(obj);
    const ns = stringAt(meta, 'namespace');
    objects[`${String(obj['apiVersion'])}/${String(obj['kind'])}/${ns ? ns + '/' : ''}${stringAt(meta, 'name') ?? ''}`] = obj;
  }
  return { objects };
}

// A Secret's values are compared by digest: a dump is logged and diffed, a password must not be.
function digestSecretData(secret: JsonObject): void {
  const data = objectAt(secret, 'data');
  if (!data) return;
  for (const [key, value] of Object.entries(data)) data[key] = `sha256:${createHash('sha256').update(String(value)).digest('hex')}`;
}

function stripRestartedAt(meta: JsonObject | undefined): void {
  const annotations = objectAt(meta, 'annotations');
  if (!meta || !annotations || !(restartedAt in annotations)) return;
  delete annotations[restartedAt];
  if (Object.keys(annotations).length === 0) delete meta['annotations'];
}
