import { UnsupportedCiliumVersion } from './errors.js';

// Which cilium.io apiVersion to write for a kind on a given Cilium release (reference/cilium.md
// §1): BGPv2 CRDs arrived as v2alpha1 in 1.16 and became v2 in 1.18 together with LB-IPAM pools;
// CiliumBGPPeeringPolicy (BGPv1) is gone in 1.19; L2 announcements are still v2alpha1.

export interface CiliumVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre?: string;
}

/** Parses "1.18.2", "v1.18.2", "1.18.0-pre.3" or "1.18"; undefined when it is not a version. */
export function parseCiliumVersion(text: string): CiliumVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), ...(m[4] ? { pre: m[4] } : {}) };
}

/** "quay.io/cilium/cilium:v1.18.2@sha256:…" → "1.18.2"; undefined for tags such as `latest`. */
export function versionFromImage(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const colon = withoutDigest.lastIndexOf(':');
  if (colon < 0 || colon < withoutDigest.lastIndexOf('/')) return undefined;
  const tag = withoutDigest.slice(colon + 1);
  const v = parseCiliumVersion(tag);
  return v ? tag.replace(/^v/, '') : undefined;
}

export function isAtLeast(version: string, minimum: string): boolean {
  const v = parseCiliumVersion(version);
  const m = parseCiliumVersion(minimum);
  if (!v || !m) return false;
  if (v.major !== m.major) return v.major > m.major;
  if (v.minor !== m.minor) return v.minor > m.minor;
  return v.patch >= m.patch;
}

const bgpV2Kinds = new Set(['CiliumBGPClusterConfig', 'CiliumBGPPeerConfig', 'CiliumBGPAdvertisement', 'CiliumBGPNodeConfig', 'CiliumBGPNodeConfigOverride']);

function requireVersion(version: string): CiliumVersion {
  const v = parseCiliumVersion(version);
  if (!v) throw new UnsupportedCiliumVersion(`expected a Cilium version such as 1.18.2; got "${version}" — read it from the cilium DaemonSet image tag`);
  return v;
}

/** The apiVersion changeflow writes for `kind` on Cilium `version`; throws when the kind is not served. */
export function apiVersionFor(kind: string, version: string): string {
  const v = requireVersion(version);
  const at = (minor: number) => v.major > 1 || (v.major === 1 && v.minor >= minor);
  if (bgpV2Kinds.has(kind)) {
    if (at(18)) return 'cilium.io/v2';
    if (at(16)) return 'cilium.io/v2alpha1';
    throw new UnsupportedCiliumVersion(`${kind} needs Cilium ≥ 1.16 (BGPv2 CRDs); the cluster runs ${version} — upgrade Cilium before peering with ACI`);
  }
  switch (kind) {
    case 'CiliumBGPPeeringPolicy':
      if (at(19)) {
        throw new UnsupportedCiliumVersion(`CiliumBGPPeeringPolicy was removed in Cilium 1.19 and is silently ignored on ${version}; use CiliumBGPClusterConfig/PeerConfig/Advertisement`);
      }
      return 'cilium.io/v2alpha1';
    case 'CiliumLoadBalancerIPPool':
      return at(18) ? 'cilium.io/v2' : 'cilium.io/v2alpha1';
    case 'CiliumL2AnnouncementPolicy':
      return 'cilium.io/v2alpha1';
    case 'CiliumEgressGatewayPolicy':
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      return 'cilium.io/v2';
    default:
      throw new UnsupportedCiliumVersion(`changeflow does not know which apiVersion to use for ${kind}; expected one of the cilium.io kinds of reference/cilium.md §1`);
  }
}
