import { isAtLeast } from '../version.js';
import type { ConfigLookup } from './datapath-rules.js';
import { kubeProxyReplacementOn } from './datapath-rules.js';

// What the egress gateway needs, by release.
//  - The key that turns it on: ≤ 1.17 reads only enable-ipv4-egress-gateway, 1.18 reads both
//    (enable-egress-gateway is new, the IPv4 one deprecated), ≥ 1.19 only enable-egress-gateway
//    (pkg/option/config.go at v1.17.14@6fc7f972, v1.18.3@c1601689, v1.19 branch point@2ba24a2a).
//  - What the agent refuses to start without once it is on (pkg/egressgateway/manager.go,
//    NewEgressGatewayManager): identity-allocation-mode=crd, CiliumEndpointSlice off,
//    enable-ipv4-masquerade and enable-bpf-masquerade both true.
//  - Kube-proxy replacement: required by the egress gateway guide
//    (https://docs.cilium.io/en/stable/network/egress-gateway/egress-gateway/, "Preliminary
//    setup"); BPF masquerading runs in the BPF NodePort datapath.
//  - Address families: the CiliumEgressGatewayPolicy CRD takes IPv4 only (egressIP format ipv4,
//    destinationCIDRs/excludedCIDRs an IPv4 pattern) up to the v1.19 branch point; v1.20.0-dev
//    (cilium/cilium@aeb2d1b6) accepts IPv6 too (isIP rule, dual pattern).

export function egressGatewayKeys(release: string): readonly string[] {
  if (isAtLeast(release, '1.19')) return ['enable-egress-gateway'];
  if (isAtLeast(release, '1.18')) return ['enable-egress-gateway', 'enable-ipv4-egress-gateway'];
  return ['enable-ipv4-egress-gateway'];
}

/** The release whose CRD first accepts IPv6 egress IPs and destination CIDRs. */
export const ipv6EgressSince = '1.20';

export function egressFamilies(release: string): ReadonlyArray<'ipv4' | 'ipv6'> {
  return isAtLeast(release, ipv6EgressSince) ? ['ipv4', 'ipv6'] : ['ipv4'];
}

export interface EgressRequirement {
  readonly key: string;
  readonly ok: boolean;
  readonly seen: string;
  readonly want: string;
}

/** Each thing the egress gateway of `release` needs, met or not, in a fixed order. */
export function egressRequirements(release: string, get: ConfigLookup, source: (key: string) => string): EgressRequirement[] {
  const keys = egressGatewayKeys(release);
  const ignored = ['enable-egress-gateway', 'enable-ipv4-egress-gateway'].filter((k) => !keys.includes(k) && get(k) === 'true');
  const on = keys.some((k) => get(k) === 'true');
  return [
    {
      key: keys.join('/'),
      ok: on,
      seen: `${keys.map(source).join(' / ')}${ignored.length > 0 ? ` (${ignored.join(', ')}=true is not read by Cilium ${release})` : ''}`,
      want: `${keys[keys.length - 1] ?? 'enable-egress-gateway'}=true (the key Cilium ${release} reads)`,
    },
    // enable-ipv4-masquerade defaults to true in the agent; Helm writes it explicitly.
    { key: 'enable-ipv4-masquerade', ok: (get('enable-ipv4-masquerade') ?? 'true') === 'true', seen: source('enable-ipv4-masquerade'), want: 'enable-ipv4-masquerade=true' },
    { key: 'enable-bpf-masquerade', ok: get('enable-bpf-masquerade') === 'true', seen: source('enable-bpf-masquerade'), want: 'enable-bpf-masquerade=true' },
    { key: 'kube-proxy-replacement', ok: kubeProxyReplacementOn(release, get), seen: source('kube-proxy-replacement'), want: 'kube-proxy-replacement=true' },
    { key: 'identity-allocation-mode', ok: (get('identity-allocation-mode') ?? 'crd') === 'crd', seen: source('identity-allocation-mode'), want: 'identity-allocation-mode=crd' },
    { key: 'enable-cilium-endpoint-slice', ok: get('enable-cilium-endpoint-slice') !== 'true', seen: source('enable-cilium-endpoint-slice'), want: 'enable-cilium-endpoint-slice=false (CiliumEndpointSlice off)' },
  ];
}
