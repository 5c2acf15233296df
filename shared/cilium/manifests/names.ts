import { sha256Hex } from '../../canonical-json.js';
import type { AciContext, Anchor } from '../../spec/index.js';

// Object names are derived from the spec alone, so a re-plan names the same objects and an
// `absent` change finds what the `present` one created.

/** Kubernetes object names (DNS-1123 subdomains) are at most 253 characters. */
export const maxKubeName = 253;

/**
 * A derived name that would pass 253 characters keeps its first 244 and ends in `-` and 8 hex
 * digits of the SHA-256 of the whole name, so two long names that share a prefix stay distinct.
 * Names that fit are returned unchanged (plans of normal names stay byte-identical).
 */
export function fitKubeName(name: string): string {
  if (name.length <= maxKubeName) return name;
  const digest = sha256Hex(name).slice(0, 8);
  const head = name.slice(0, maxKubeName - digest.length - 1).replace(/[^a-z0-9]+$/, '');
  return `${head}-${digest}`;
}

/**
 * APIC names allow upper case, `_`, `:` and dots anywhere; Kubernetes names are dot-separated
 * labels of lower-case letters, digits and `-` that start and end with a letter or digit. Each
 * label is cleaned on its own, so `a_.b` becomes `a.b` rather than the invalid `a-.b`.
 */
export function kubeNameFrom(text: string): string {
  const labels = text
    .toLowerCase()
    .split('.')
    .map((label) => label.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter((label) => label !== '');
  return fitKubeName(labels.join('.') || 'unnamed');
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
  return fitKubeName(`lb-${pool}`);
}

export const ciliumConfigName = 'cilium-config';
export const defaultCiliumNamespace = 'kube-system';

/** The Secret with the BGP password a PeerConfig's authSecretRef names (bgpPeering.password). */
export function bgpPasswordSecretName(aci: AciContext): string {
  return `${bgpObjectName(aci)}-bgp-password`;
}
