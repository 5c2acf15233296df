import type { ChangeKind } from '../kind.js';
import { peeringMos } from './aci.js';
import { bgpPeeringObjects } from './cluster.js';
import { bgpPeeringAciPrechecks, bgpPeeringClusterPrechecks } from './prechecks.js';
import { describeBgpPeering } from './summary.js';

export const bgpPeeringKind: ChangeKind<'bgpPeering'> = {
  type: 'bgpPeering',
  describe: describeBgpPeering,
  aci: { objects: peeringMos, prechecks: bgpPeeringAciPrechecks },
  cluster: { objects: (change, spec, version, ciliumNamespace) => bgpPeeringObjects(change, spec, version, ciliumNamespace), force: false, prechecks: bgpPeeringClusterPrechecks, versionCheckId: 'cluster.version.bgp-v2', minimum: { version: '1.16', why: 'the BGPv2 CRDs (CiliumBGPClusterConfig, PeerConfig, Advertisement) arrived in 1.16' } },
};
