// Who owns what on the cluster. Every object changeflow applies goes through server-side apply
// under one field manager, so re-applying a previous manifest under the same manager restores it
// (fields it no longer lists are removed) and conflicts name the other owner.

export const fieldManager = 'changeflow';

/** Label on every object changeflow creates (never on objects it only patches, like cilium-config). */
export const managedByLabel = { key: 'app.kubernetes.io/managed-by', value: 'changeflow' } as const;

/** Label that ties changeflow's CiliumBGPAdvertisements to the PeerConfig's families selector. */
export const advertiseLabel = { key: 'advertise', value: 'changeflow-lb' } as const;

/**
 * Managers that install Cilium and own cilium-config's keys. changeflow takes those keys with
 * force=true on purpose; any other owner (a GitOps controller, a person with kubectl) would fight
 * the change, so it is a precheck failure instead.
 */
export function isInstallerManager(manager: string): boolean {
  return /^helm/i.test(manager) || manager === 'cilium-cli';
}

/**
 * On the Secret a CiliumBGPPeerConfig's authSecretRef names (and on the PeerConfig): which agent
 * secret reference fills its `password` key. The plan carries the reference, the agent the value
 * (KubeRequest apply `secretData`); cluster facts never hold a Secret's data.
 */
export const passwordRefAnnotation = 'changeflow.io/bgp-password-secret-ref';
