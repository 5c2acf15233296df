import type { ChangeKind } from '../kind.js';
import { externalEpgMos } from './aci.js';
import { loadBalancerPoolObjects } from './cluster.js';
import { describeLoadBalancerPool } from './summary.js';

export const loadBalancerPoolKind: ChangeKind<'loadBalancerPool'> = {
  type: 'loadBalancerPool',
  describe: describeLoadBalancerPool,
  aci: { objects: externalEpgMos },
  cluster: { objects: (change, _spec, version) => loadBalancerPoolObjects(change, version), force: false, versionCheckId: 'cluster.version.lb-ipam', minimum: { version: '1.15', why: 'CiliumLoadBalancerIPPool spec.blocks replaced spec.cidrs in 1.15' } },
};
