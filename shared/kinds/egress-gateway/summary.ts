import type { EgressGateway } from './schema.js';

/** `egress-payments payments → 192.168.3.200 (ESG k8s/egress)`. */
export function describeEgressGateway(change: EgressGateway): string {
  return `${change.name} ${change.namespace} → ${change.egressIp} (ESG ${change.esg.applicationProfile}/${change.esg.name})`;
}
