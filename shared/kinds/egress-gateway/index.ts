import type { ChangeKind } from '../kind.js';
import { esgMos } from './aci.js';
import { egressGatewayObjects } from './cluster.js';
import { egressGatewayAciPrechecks, egressGatewayClusterPrechecks } from './prechecks.js';
import { describeEgressGateway } from './summary.js';

export const egressGatewayKind: ChangeKind<'egressGateway'> = {
  type: 'egressGateway',
  describe: describeEgressGateway,
  aci: { objects: esgMos, prechecks: egressGatewayAciPrechecks },
  cluster: { objects: (change, _spec, version) => egressGatewayObjects(change, version), force: false, prechecks: egressGatewayClusterPrechecks, versionCheckId: 'cluster.version.egress-gateway', minimum: { version: '1.12', why: 'CiliumEgressGatewayPolicy (cilium.io/v2) replaced CiliumEgressNATPolicy in 1.12' } },
};
