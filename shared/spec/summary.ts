import type { ChangeSpec } from './change-spec.js';
import type { Change } from './change-types.js';

// One line per change, as `changeflow validate` prints it and a ticket work note can quote it:
// enough for a reviewer to recognise the change without reading the YAML.

function labels(selector: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(',') : 'all';
}

/** The change without its type: `pool-red 10.0.10.0/24 → ext-EPG default_svc`. */
export function describeChange(change: Change, fabricAsn: number): string {
  switch (change.type) {
    case 'bgpPeering':
      return `AS ${change.clusterAsn} ↔ fabric AS ${fabricAsn} via ${change.peeringSubnet} vlan-${change.vlan}, anchors ${change.anchors.map((a) => a.nodeId).join(',')}${change.bfd ? ', bfd' : ''}`;
    case 'loadBalancerPool':
      return `${change.name} ${change.blocks.join(',')} → ext-EPG ${change.externalEpg}`;
    case 'egressGateway':
      return `${change.name} ${change.namespace} → ${change.egressIp} (ESG ${change.esg.applicationProfile}/${change.esg.name})`;
    case 'l2Announcement': {
      const what = [change.loadBalancerIPs ? 'loadBalancerIPs' : '', change.externalIPs ? 'externalIPs' : ''].filter(Boolean);
      const on = change.interfaces.length > 0 ? ` on ${change.interfaces.join(',')}` : '';
      return `${change.name} services ${labels(change.serviceSelector)} from nodes ${labels(change.nodeSelector)}${on} (${what.join(', ')})`;
    }
    case 'ciliumConfig': {
      const settings = Object.entries(change.settings).map(([k, v]) => `${k}=${v}`);
      return `${settings.join(', ')} (${change.restart === 'rolling' ? 'rolling restart' : 'no restart'})`;
    }
  }
}

/** `bgpPeering  AS 64512 ↔ fabric AS 65001 via 192.168.2.0/24 vlan-300, anchors 101,102`, `(absent)` marked. */
export function summarizeChange(change: Change, fabricAsn: number): string {
  const absent = change.state === 'absent' ? ' (absent)' : '';
  return `${change.type.padEnd(16)} ${describeChange(change, fabricAsn)}${absent}`;
}

/** Where and how the spec applies: `mode apply · site dc1 · fabric dc1-aci (tenant k8s-prod-a) · cluster prod-a`. */
export function summarizeTarget(spec: ChangeSpec): string {
  const { target, aci } = spec;
  return `mode ${spec.mode} · site ${target.site} · fabric ${target.fabric} (tenant ${aci.tenant}, l3out ${aci.l3out}) · cluster ${target.cluster}`;
}
