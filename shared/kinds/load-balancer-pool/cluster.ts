import type { LoadBalancerPool } from '../../spec/index.js';
import type { KubeObject } from '../../plan/index.js';
import { matchEverySelector } from '../../cilium/label-selector.js';
import { advertiseLabel } from '../../cilium/ownership.js';
import { apiVersionFor, isAtLeast } from '../../cilium/version.js';
import { createdMetadata, matchLabelsOrAll } from '../../cilium/manifests/metadata.js';
import { poolAdvertisementName } from '../../cilium/manifests/names.js';

// loadBalancerPool → CiliumLoadBalancerIPPool + one CiliumBGPAdvertisement for the services the
// pool serves. Design choice: advertisements belong to pools, not to the peering, so adding or
// removing a pool adds or withdraws exactly its own /32s and nothing else is advertised.

export function loadBalancerPoolObjects(change: LoadBalancerPool, ciliumVersion: string): KubeObject[] {
  const selector = matchLabelsOrAll(change.serviceSelector);
  const pool: KubeObject = {
    apiVersion: apiVersionFor('CiliumLoadBalancerIPPool', ciliumVersion),
    kind: 'CiliumLoadBalancerIPPool',
    metadata: createdMetadata(change.name),
    spec: {
      blocks: change.blocks.map((cidr) => ({ cidr })),
      ...(selector ? { serviceSelector: selector } : {}),
      ...(change.allowFirstLastIPs === undefined ? {} : { allowFirstLastIPs: change.allowFirstLastIPs ? 'Yes' : 'No' }),
    },
  };
  // Before 1.16 there is no BGPv2 to advertise with; the pool alone still serves L2 announcements.
  if (!isAtLeast(ciliumVersion, '1.16')) return [pool];
  const advertisement: KubeObject = {
    apiVersion: apiVersionFor('CiliumBGPAdvertisement', ciliumVersion),
    kind: 'CiliumBGPAdvertisement',
    metadata: createdMetadata(poolAdvertisementName(change.name), { [advertiseLabel.key]: advertiseLabel.value }),
    spec: {
      advertisements: [
        {
          advertisementType: 'Service',
          service: { addresses: ['LoadBalancerIP'] },
          // A Service advertisement without a selector matches nothing.
          selector: selector ?? matchEverySelector,
        },
      ],
    },
  };
  return [pool, advertisement];
}
