import type { AciContext, Anchor } from '../../spec/index.js';

// Object names are derived from the spec alone, so a re-plan names the same objects and an
// `absent` change finds what the `present` one created.

/** APIC names allow upper case, `_` and `:`; Kubernetes names do not. */
export function kubeNameFrom(text: string): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return cleaned.slice(0, 253) || 'unnamed';
}

export const bgpInstanceName = 'aci';

/** CiliumBGPClusterConfig and CiliumBGPPeerConfig share this name (different kinds). */
export function bgpObjectName(aci: AciContext): string {
  return kubeNameFrom(`aci-${aci.l3out}`);
}

export function anchorPeerName(anchor: Anchor): string {
  return `leaf-${anchor.nodeId}`;
}

/** One CiliumBGPAdvertisement per pool, selecting the same services the pool serves. */
export function poolAdvertisementName(pool: string): string {
  return `lb-${pool}`;
}

export const ciliumConfigName = 'cilium-config';
export const defaultCiliumNamespace = 'kube-system';
