import { selectorMatches, type LabelSelector } from '../../../shared/cilium/label-selector.js';
import { rangeOfBlock, type AddressRange, type PoolBlock } from '../../../shared/cilium/ip-ranges.js';
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
  const index = classificationIndex(fabric);
  const host = rangeOfBlock({ start: ip });
  if (!host) return undefined;
  const within = (r: AddressRange | undefined) => r !== undefined && r.family === host.family && r.first <= host.first && host.last <= r.last;
  const onSvi = index.svis.some(within);
  // Whether a BD of the VRF learns the IP, asked once per VRF rather than once per selector.
  const learned = new Map<string, boolean>();
  const learnedIn = (vrf: string): boolean => {
    let known = learned.get(vrf);
    if (known === undefined) learned.set(vrf, (known = !onSvi && (index.bdSubnetsByVrf.get(vrf) ?? []).some(within)));
    return known;
  };
  const esg = index.esgSelectors.find((s) => s.vrf !== undefined && (index.vrfs.size === 0 || index.vrfs.has(s.vrf)) && within(s.range) && learnedIn(s.vrf));
  if (esg) return `ESG ${esg.selector.esgDn} (ip=='${esg.selector.ip}')`;
  const ext = index.importSubnets.find((s) => within(s.range));
  return ext ? `external subnet ${ext.subnet.ip} of ${ext.subnet.l3outDn}/instP-${ext.subnet.instP}` : undefined;
}

interface ClassificationIndex {
  readonly vrfs: ReadonlySet<string>;
  readonly svis: ReadonlyArray<AddressRange | undefined>;
  readonly bdSubnetsByVrf: ReadonlyMap<string, ReadonlyArray<AddressRange | undefined>>;
  readonly esgSelectors: ReadonlyArray<{ selector: FabricSnapshot['esgSelectors'][number]; vrf?: string; range?: AddressRange }>;
  readonly importSubnets: ReadonlyArray<{ subnet: FabricSnapshot['externalSubnets'][number]; range?: AddressRange }>;
}

// A fabric at its limits has 20 000 ESG IP selectors and 1 000 BD subnets: their ranges are
// parsed once per list, not once per question (issue 20: the connectivity test must answer at
// realistic speed). Keyed by the lists themselves, so a snapshot given new lists is parsed anew.
const parsed = new WeakMap<object, unknown>();

function once<T>(key: object, build: () => T): T {
  if (parsed.has(key)) return parsed.get(key) as T;
  const value = build();
  parsed.set(key, value);
  return value;
}

function classificationIndex(fabric: FabricSnapshot): ClassificationIndex {
  const svis = once(fabric.svis, () => ({
    vrfs: new Set(fabric.svis.map((s) => s.vrf).filter((v): v is string => v !== undefined)),
    ranges: fabric.svis.map((s) => rangeOfBlock({ cidr: s.address })),
  }));
  return {
    vrfs: svis.vrfs,
    svis: svis.ranges,
    bdSubnetsByVrf: once(fabric.bdSubnets, () => {
      const byVrf = new Map<string, Array<AddressRange | undefined>>();
      for (const b of fabric.bdSubnets) {
        if (b.vrf === undefined) continue;
        const list = byVrf.get(b.vrf) ?? [];
        list.push(rangeOfBlock({ cidr: b.ip }));
        byVrf.set(b.vrf, list);
      }
      return byVrf;
    }),
    esgSelectors: once(fabric.esgSelectors, () =>
      fabric.esgSelectors.map((selector) => ({ selector, vrf: selector.vrf, range: rangeOfBlock({ cidr: selector.ip.includes('/') ? selector.ip : `${selector.ip}/32` }) })),
    ),
    importSubnets: once(fabric.externalSubnets, () =>
      fabric.externalSubnets.filter((s) => s.scopes.includes('import-security')).map((subnet) => ({ subnet, range: rangeOfBlock({ cidr: subnet.ip }) })),
    ),
  };
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
