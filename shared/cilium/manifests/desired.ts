import type { Change, ChangeSpec } from '../../spec/index.js';
import type { KubeObject } from '../../plan/index.js';
import { bgpPeeringObjects } from './bgp.js';
import { ciliumConfigObject } from './cilium-config.js';
import { egressGatewayObjects } from './egress.js';
import { l2AnnouncementObjects } from './l2.js';
import { defaultCiliumNamespace } from './names.js';
import { loadBalancerPoolObjects } from './pool.js';

// The Kubernetes side of a ChangeSpec: pure and deterministic from the spec and the Cilium
// version, with no change id, timestamps or run data, so re-planning yields identical manifests.

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
  switch (change.type) {
    case 'bgpPeering':
      return bgpPeeringObjects(change, spec.aci, ciliumVersion);
    case 'loadBalancerPool':
      return loadBalancerPoolObjects(change, ciliumVersion);
    case 'egressGateway':
      return egressGatewayObjects(change, ciliumVersion);
    case 'l2Announcement':
      return l2AnnouncementObjects(change, ciliumVersion);
    case 'ciliumConfig':
      return [ciliumConfigObject(change, options.ciliumNamespace ?? defaultCiliumNamespace)];
  }
}

export function changeObjects(spec: ChangeSpec, ciliumVersion: string, options: ManifestOptions = {}): ChangeObject[] {
  return spec.changes.flatMap((change, index) =>
    objectsForChange(change, spec, ciliumVersion, options).map((object) => ({
      change: index,
      state: change.state,
      object,
      force: change.type === 'ciliumConfig',
    })),
  );
}

/** Manifests of every `present` change, in spec order. Throws UnsupportedCiliumVersion. */
export function desiredClusterObjects(spec: ChangeSpec, ciliumVersion: string, options: ManifestOptions = {}): KubeObject[] {
  return changeObjects(spec, ciliumVersion, options)
    .filter((o) => o.state === 'present')
    .map((o) => o.object);
}
