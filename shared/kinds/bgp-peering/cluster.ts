import type { BgpPeering, ChangeSpec } from '../../spec/index.js';
import { parseCidr, parseInterfaceAddress, type IpFamily } from '../../spec/addresses.js';
import type { KubeObject } from '../../plan/index.js';
import { advertiseLabel, passwordRefAnnotation } from '../../cilium/ownership.js';
import { apiVersionFor } from '../../cilium/version.js';
import { createdMetadata, matchLabelsOrAll } from '../../cilium/manifests/metadata.js';
import { anchorPeerName, bgpInstanceName, bgpObjectName, bgpPasswordSecretName, defaultCiliumNamespace } from '../../cilium/manifests/names.js';

// bgpPeering → CiliumBGPPeerConfig + CiliumBGPClusterConfig. Every selected node peers over eBGP
// with each anchor leaf's address on the floating SVI subnet (reference/aci.md).
//
// No BFD here: Cilium OSS BGPv2 has no BFD (cilium/cilium#22394 is still open; "Cilium doesn't
// support BFD", maintainer in cilium/cilium#45435). `bfd: true` configures BFD on the ACI side
// only, which then stays down for these peers; the hold timer is what detects failures here.

export const defaultTimers = { holdTimeSeconds: 90, keepAliveTimeSeconds: 30, connectRetryTimeSeconds: 120 } as const;
export const gracefulRestartSeconds = 120;

/**
 * The address families the peers negotiate: the session's own, then those of the pools the spec
 * advertises. Cilium advertises a pool's /32s or /128s only in a family the PeerConfig lists, so
 * an IPv6 pool over an IPv4 session needs the ipv6 unicast family too (multiprotocol BGP).
 * Pools of other specs are checked against the existing PeerConfig by the loadBalancerPool
 * precheck `cluster.pool.bgp-family`.
 */
export function peeringFamilies(change: BgpPeering, spec: ChangeSpec): IpFamily[] {
  const session = parseCidr(change.peeringSubnet)?.family ?? 'ipv4';
  const pools = spec.changes.flatMap((c) => (c.type === 'loadBalancerPool' && c.state === 'present' ? c.blocks.map((b) => parseCidr(b)?.family ?? 'ipv4') : []));
  return [session, ...(['ipv4', 'ipv6'] as const).filter((f) => f !== session && pools.includes(f))];
}

/**
 * The Secret a password-protected PeerConfig names in authSecretRef, in the BGP secrets namespace
 * (Cilium's default, kube-system, is where changeflow writes: the Cilium namespace). Its
 * `password` key — the one Cilium reads — is filled by the agent from the spec's reference.
 */
export function bgpPasswordSecret(spec: ChangeSpec, secretRef: string, namespace: string): KubeObject {
  const metadata = createdMetadata(bgpPasswordSecretName(spec.aci));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { ...metadata, namespace, annotations: { [passwordRefAnnotation]: secretRef } }, type: 'Opaque' };
}

export function bgpPeeringObjects(change: BgpPeering, spec: ChangeSpec, ciliumVersion: string, ciliumNamespace = defaultCiliumNamespace): KubeObject[] {
  const aci = spec.aci;
  const apiVersion = apiVersionFor('CiliumBGPClusterConfig', ciliumVersion);
  const name = bgpObjectName(aci);
  const secret = change.password ? bgpPasswordSecret(spec, change.password.secretRef, ciliumNamespace) : undefined;
  const peerConfig: KubeObject = {
    apiVersion,
    kind: 'CiliumBGPPeerConfig',
    metadata: secret ? { ...createdMetadata(name), annotations: { [passwordRefAnnotation]: change.password?.secretRef ?? '' } } : createdMetadata(name),
    spec: {
      // The anchors' bgpPeerP.password is set from the same reference (aci.ts).
      ...(secret ? { authSecretRef: secret.metadata.name } : {}),
      timers: { ...defaultTimers, ...change.timers },
      gracefulRestart: change.gracefulRestart ? { enabled: true, restartTimeSeconds: gracefulRestartSeconds } : { enabled: false },
      // Only changeflow's per-pool advertisements: the ACI design advertises LoadBalancer IPs, never pod CIDRs.
      families: peeringFamilies(change, spec).map((afi) => ({ afi, safi: 'unicast', advertisements: { matchLabels: { [advertiseLabel.key]: advertiseLabel.value } } })),
    },
  };
  // v2alpha1 peerConfigRef also names group and kind; v2 dropped them.
  const peerConfigRef = apiVersion === 'cilium.io/v2alpha1' ? { group: 'cilium.io', kind: 'CiliumBGPPeerConfig', name } : { name };
  const nodeSelector = matchLabelsOrAll(change.nodeSelector);
  const clusterConfig: KubeObject = {
    apiVersion,
    kind: 'CiliumBGPClusterConfig',
    metadata: createdMetadata(name),
    spec: {
      ...(nodeSelector ? { nodeSelector } : {}),
      bgpInstances: [
        {
          name: bgpInstanceName,
          localASN: change.clusterAsn,
          peers: change.anchors.map((anchor) => ({
            name: anchorPeerName(anchor),
            peerAddress: parseInterfaceAddress(anchor.address)?.address.toString() ?? anchor.address.split('/')[0],
            peerASN: aci.fabricAsn,
            peerConfigRef,
          })),
        },
      ],
    },
  };
  return secret ? [secret, peerConfig, clusterConfig] : [peerConfig, clusterConfig];
}
