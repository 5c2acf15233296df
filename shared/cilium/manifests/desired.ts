import type { Change, ChangeSpec } from '../../spec/index.js';
import type { KubeObject } from '../../plan/index.js';
import { changeKinds, withKind } from '../../kinds/registry.js';
import { defaultCiliumNamespace } from './names.js';

// The Kubernetes side of a ChangeSpec: pure and deterministic from the spec and the Cilium
// version, with no change id, timestamps or run data, so re-planning yields identical manifests.
// Each kind builds its own objects (`cluster.objects`, shared/kinds/).

export interface ManifestOptions {
  /** Where cilium-config, ds/cilium and deploy/cilium-operator live. */
  readonly ciliumNamespace?: string;
}

export interface ChangeObject {
  /** Index of the spec change this object serves. */
  readonly change: number;
  readonly state: 'present' | 'absent';
  readonly object: KubeObject;
  /** Only cilium-config is applied with force: Helm owns its keys. */
  readonly force: boolean;
}

/** The objects one change creates or updates (for `absent`: the objects it would remove). */
export function objectsForChange(change: Change, spec: ChangeSpec, ciliumVersion: string, options: ManifestOptions = {}): KubeObject[] {
  return withKind(change, (kind, c) => kind.cluster.objects(c, spec, ciliumVersion, options.ciliumNamespace ?? defaultCiliumNamespace));
}

export function changeObjects(spec: ChangeSpec, ciliumVersion: string, options: ManifestOptions = {}): ChangeObject[] {
  return spec.changes.flatMap((change, index) =>
    objectsForChange(change, spec, ciliumVersion, options).map((object) => ({
      change: index,
      state: change.state,
      object,
      force: changeKinds[change.type].cluster.force,
    })),
  );
}

/** Manifests of every `present` change, in spec order. Throws UnsupportedCiliumVersion. */
export function desiredClusterObjects(spec: ChangeSpec, ciliumVersion: string, options: ManifestOptions = {}): KubeObject[] {
  return changeObjects(spec, ciliumVersion, options)
    .filter((o) => o.state === 'present')
    .map((o) => o.object);
}
