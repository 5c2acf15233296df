import { selectorMatches, type LabelSelector } from '../../../shared/cilium/label-selector.js';
import { rangeOfBlock, type PoolBlock } from '../../../shared/cilium/ip-ranges.js';
import type { ClusterService, ClusterSnapshot, LbPool } from './cluster-snapshot.js';
import type { FabricSnapshot } from './fabric-snapshot.js';
import type { Session } from './sessions.js';

// The questions connectivity tests ask of both snapshots: does the fabric let this block or egress
// IP in, which BGP sessions carry a service's LoadBalancer IP, and which pool a service IP came from.

function covers(outer: PoolBlock, inner: PoolBlock): boolean {
  const o = rangeOfBlock(outer);
  const i = rangeOfBlock(inner);
  return o !== undefined && i !== undefined && o.family === i.family && o.first <= i.first && i.last <= o.last;
}

export function blockText(block: PoolBlock): string {
  return block.cidr ?? (block.stop ? `${block.start ?? ''}-${block.stop}` : (block.start ?? ''));
}

/** The ext-EPG subnet with import-security on `l3outDn` that lets `block` in, if any. */
export function importingSubnet(fabric: FabricSnapshot, l3outDn: string, block: PoolBlock): string | undefined {
  return fabric.externalSubnets.find((s) => s.l3outDn === l3outDn && s.scopes.includes('import-security') && covers({ cidr: s.ip }, block))?.ip;
}

/**
 * How the fabric classifies an egress IP: an ESG IP selector in a VRF (one the cluster's L3Outs
 * use, when there are any) for an IP a BD of that VRF learns (inside one of its subnets, outside
 * every floating SVI's peering subnet: there the IP is an L3Out host no selector sees), or an
 * import-security external subnet. Undefined when nothing does.
 */
export function egressClassification(fabric: FabricSnapshot, ip: string): string | undefined {
  const vrfs = new Set(fabric.svis.map((s) => s.vrf).filter((v): v is string => v !== undefined));
  const host = { start: ip };
  const onSvi = fabric.svis.some((s) => covers({ cidr: s.address }, host));
  const learnedIn = (vrf: string) => !onSvi && fabric.bdSubnets.some((b) => b.vrf === vrf && covers({ cidr: b.ip }, host));
  const esg = fabric.esgSelectors.find((s) => s.vrf !== undefined && (vrfs.size === 0 || vrfs.has(s.vrf)) && learnedIn(s.vrf) && covers({ cidr: s.ip.includes('/') ? s.ip : `${s.ip}/32` }, host));
  if (esg) return `ESG ${esg.esgDn} (ip=='${esg.ip}')`;
  const ext = fabric.externalSubnets.find((s) => s.scopes.includes('import-security') && covers({ cidr: s.ip }, host));
  return ext ? `external subnet ${ext.ip} of ${ext.l3outDn}/instP-${ext.instP}` : undefined;
}

export function serviceLabels(svc: ClusterService): Record<string, string> {
  return { ...svc.labels, 'io.kubernetes.service.namespace': svc.namespace, 'io.kubernetes.service.name': svc.name };
}

/** A selector that is absent matches nothing (Service advertisements, peer-config families). */
function picks(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  return selector !== undefined && selectorMatches(selector, labels);
}

/** True when the peer config a session uses advertises the LoadBalancer IP of `svc`. */
export function sessionCarries(cluster: ClusterSnapshot, session: Session, svc: ClusterService): boolean {
  const peerConfig = cluster.peerConfigs.find((p) => p.name === session.peerConfigRef);
  if (!peerConfig) return false;
  const labels = serviceLabels(svc);
  return peerConfig.families.some((family) =>
    cluster.advertisements.some(
      (ad) =>
        picks(family.advertisements, ad.labels) &&
        ad.entries.some((e) => e.type === 'Service' && e.addresses.includes('LoadBalancerIP') && picks(e.selector, labels)),
    ),
  );
}

export function poolOf(cluster: ClusterSnapshot, ip: string): { pool: LbPool; block: PoolBlock } | undefined {
  for (const pool of cluster.pools) {
    const block = pool.blocks.find((b) => covers(b, { start: ip }));
    if (block) return { pool, block };
  }
  return undefined;
}

/** L2 policies that announce the service's LoadBalancer IP from at least one node. */
export function l2Announces(cluster: ClusterSnapshot, svc: ClusterService): boolean {
  if (cluster.config['enable-l2-announcements'] !== 'true') return false;
  return cluster.l2Policies.some(
    (p) => p.loadBalancerIPs && selectorMatches(p.serviceSelector, serviceLabels(svc)) && cluster.nodes.some((n) => selectorMatches(p.nodeSelector, n.labels)),
  );
}
