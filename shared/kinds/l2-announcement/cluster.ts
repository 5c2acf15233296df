import type { L2Announcement } from '../../spec/index.js';
import type { KubeObject } from '../../plan/index.js';
import { apiVersionFor } from '../../cilium/version.js';
import { createdMetadata, matchLabelsOrAll } from '../../cilium/manifests/metadata.js';

// l2Announcement → CiliumL2AnnouncementPolicy (v2alpha1 on every release so far).

export function l2AnnouncementObjects(change: L2Announcement, ciliumVersion: string): KubeObject[] {
  const serviceSelector = matchLabelsOrAll(change.serviceSelector);
  const nodeSelector = matchLabelsOrAll(change.nodeSelector);
  return [
    {
      apiVersion: apiVersionFor('CiliumL2AnnouncementPolicy', ciliumVersion),
      kind: 'CiliumL2AnnouncementPolicy',
      metadata: createdMetadata(change.name),
      spec: {
        ...(serviceSelector ? { serviceSelector } : {}),
        ...(nodeSelector ? { nodeSelector } : {}),
        // nil interfaces means "every interface"; an empty list would mean none.
        ...(change.interfaces.length > 0 ? { interfaces: [...change.interfaces] } : {}),
        loadBalancerIPs: change.loadBalancerIPs,
        externalIPs: change.externalIPs,
      },
    },
  ];
}
