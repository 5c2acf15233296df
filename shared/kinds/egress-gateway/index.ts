import type { ChangeKind } from '../kind.js';
import { esgMos } from './aci.js';
import { egressGatewayObjects } from './cluster.js';
import { describeEgressGateway } from './summary.js';

export const egressGatewayKind: ChangeKind<'egressGateway'> = {
  type: 'egressGateway',
  describe: describeEgressGateway,
  aci: { objects: esgMos },
  cluster: { objects: (change, _spec, version) => egressGatewayObjects(change, version), force: false, versionCheckId: 'cluster.version.egress-gateway', minimum: { version: '1.12', why: 'CiliumEgressGatewayPolicy (cilium.io/v2) replaced CiliumEgressNATPolicy in 1.12' } },
};
