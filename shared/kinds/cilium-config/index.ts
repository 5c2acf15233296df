import type { ChangeKind } from '../kind.js';
import { ciliumConfigAci } from './aci.js';
import { ciliumConfigObject } from './cluster.js';
import { describeCiliumConfig } from './summary.js';

export const ciliumConfigKind: ChangeKind<'ciliumConfig'> = {
  type: 'ciliumConfig',
  describe: describeCiliumConfig,
  aci: ciliumConfigAci,
  cluster: { objects: (change, _spec, _version, ciliumNamespace) => [ciliumConfigObject(change, ciliumNamespace)], force: true, versionCheckId: 'cluster.version.cilium-config', minimum: { version: '1.14', why: 'the cilium-config keys changeflow sets exist from 1.14 on' } },
};
