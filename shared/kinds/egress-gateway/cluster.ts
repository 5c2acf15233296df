import type { EgressGateway } from '../../spec/index.js';
import type { KubeObject } from '../../plan/index.js';
import { apiVersionFor } from '../../cilium/version.js';
import { createdMetadata } from '../../cilium/manifests/metadata.js';

// egressGateway → CiliumEgressGatewayPolicy. Schema quirks (reference/cilium.md §1): the CRD
// requires `egressGateway` even where `egressGateways` exists, and a policy that sets both
// `egressIP` and `interface` is ignored — so changeflow writes egressGateway with egressIP only.

export function egressGatewayObjects(change: EgressGateway, ciliumVersion: string): KubeObject[] {
  return [
    {
      apiVersion: apiVersionFor('CiliumEgressGatewayPolicy', ciliumVersion),
      kind: 'CiliumEgressGatewayPolicy',
      metadata: createdMetadata(change.name),
      spec: {
        // The namespace is selected through the pod label Cilium adds, not a namespaceSelector.
        selectors: [{ podSelector: { matchLabels: { ...change.podSelector, 'io.kubernetes.pod.namespace': change.namespace } } }],
        destinationCIDRs: [...change.destinationCidrs],
        ...(change.excludedCidrs && change.excludedCidrs.length > 0 ? { excludedCIDRs: [...change.excludedCidrs] } : {}),
        egressGateway: { nodeSelector: { matchLabels: { ...change.gatewayNodeSelector } }, egressIP: change.egressIp },
      },
    },
  ];
}
