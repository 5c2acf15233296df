import type { AciContext, BgpPeering } from '../../spec/index.js';
import { parseCidr, parseInterfaceAddress } from '../../spec/addresses.js';
import type { KubeObject } from '../../plan/index.js';
import { advertiseLabel } from '../../cilium/ownership.js';
import { apiVersionFor } from '../../cilium/version.js';
import { createdMetadata, matchLabelsOrAll } from '../../cilium/manifests/metadata.js';
import { anchorPeerName, bgpInstanceName, bgpObjectName } from '../../cilium/manifests/names.js';

// bgpPeering → CiliumBGPPeerConfig + CiliumBGPClusterConfig. Every selected node peers over eBGP
// with each anchor leaf's address on the floating SVI subnet (reference/aci.md).
//
// No BFD here: Cilium OSS BGPv2 has no BFD (cilium/cilium#22394 is still open; "Cilium doesn't
// support BFD", maintainer in cilium/cilium#45435). `bfd: true` configures BFD on the ACI side
// only, which then stays down for these peers; the hold timer is what detects failures here.

export const defaultTimers = { holdTimeSeconds: 90, keepAliveTimeSeconds: 30, connectRetryTimeSeconds: 120 } as const;
export const gracefulRestartSeconds = 120;

export function bgpPeeringObjects(change: BgpPeering, aci: AciContext, ciliumVersion: string): KubeObject[] {
  const apiVersion = apiVersionFor('CiliumBGPClusterConfig', ciliumVersion);
  const name = bgpObjectName(aci);
  const afi = parseCidr(change.peeringSubnet)?.family ?? 'ipv4';
  const peerConfig: KubeObject = {
    apiVersion,
    kind: 'CiliumBGPPeerConfig',
    metadata: createdMetadata(name),
    spec: {
      timers: { ...defaultTimers, ...change.timers },
      gracefulRestart: change.gracefulRestart ? { enabled: true, restartTimeSeconds: gracefulRestartSeconds } : { enabled: false },
      // Only changeflow's per-pool advertisements: the ACI design advertises LoadBalancer IPs, never pod CIDRs.
      families: [{ afi, safi: 'unicast', advertisements: { matchLabels: { [advertiseLabel.key]: advertiseLabel.value } } }],
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
  return [peerConfig, clusterConfig];
}
