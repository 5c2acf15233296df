import type { ChangeKind } from '../kind.js';
import { peeringMos } from './aci.js';
import { bgpPeeringObjects } from './cluster.js';
import { describeBgpPeering } from './summary.js';

export const bgpPeeringKind: ChangeKind<'bgpPeering'> = {
  type: 'bgpPeering',
  describe: describeBgpPeering,
  aci: { objects: peeringMos },
  cluster: { objects: (change, spec, version, ciliumNamespace) => bgpPeeringObjects(change, spec, version, ciliumNamespace), force: false, versionCheckId: 'cluster.version.bgp-v2', minimum: { version: '1.16', why: 'the BGPv2 CRDs (CiliumBGPClusterConfig, PeerConfig, Advertisement) arrived in 1.16' } },
};
