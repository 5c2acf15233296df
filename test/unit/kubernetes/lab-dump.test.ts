import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json.js';
import { dumpObjects } from '../../../local/lab/kubernetes/dump.js';
import { ObjectStore } from '../../../local/lab/kubernetes/object-store.js';
import { builtinResources } from '../../../local/lab/kubernetes/resources.js';

const ds = builtinResources.find((d) => d.kind === 'DaemonSet');

describe('the Kubernetes lab dump', () => {
  it('keeps configuration and drops what servers and controllers stamp on every write', () => {
    if (!ds) throw new Error('no DaemonSet definition');
    const store = new ObjectStore();
    const write = (restartedAt: string | undefined, uid: string) =>
      store.put(ds, {
        apiVersion: 'apps/v1', kind: 'DaemonSet',
        metadata: {
          name: 'cilium', namespace: 'kube-system', uid, generation: 3, creationTimestamp: '2025-01-01T00:00:00Z',
          managedFields: [{ manager: 'helm' }], ownerReferences: [{ kind: 'X', name: 'x', uid }],
        },
        spec: { template: { metadata: { labels: { 'k8s-app': 'cilium' }, ...(restartedAt ? { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } : {}) } } },
        status: { numberReady: 5 },
      });
    write(undefined, 'uid-1');
    const before = canonicalJson(dumpObjects(store));
    write('2025-06-01T10:00:00Z', 'uid-2');
    expect(canonicalJson(dumpObjects(store))).toBe(before);
    expect(dumpObjects(store)).toEqual({
      objects: {
        'apps/v1/DaemonSet/kube-system/cilium': {
          apiVersion: 'apps/v1', kind: 'DaemonSet',
          metadata: { name: 'cilium', namespace: 'kube-system', ownerReferences: [{ kind: 'X', name: 'x' }] },
          spec: { template: { metadata: { labels: { 'k8s-app': 'cilium' } } } },
        },
      },
    });
  });
});
