import * as z from '../../../shared/zod.js';
import { selectorMatches } from '../../../shared/cilium/label-selector.js';
import type { BgpFamily, ClusterSnapshot } from '../world/cluster-snapshot.js';
import { serviceLabels } from '../world/reachability.js';
import { formatGoDuration } from './go-format.js';
import { tabulate } from './tabwriter.js';

// `cilium bgp peers`: what each agent reports for its BGP peers, read from the CiliumBGPNodeConfig
// status the emulated agents keep (the world decides the state) and the peer configs (timers,
// families). Advertised counts are the LoadBalancer IPs an established session's families carry.

const NodeConfig = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  spec: z.optional(z.looseObject({
    bgpInstances: z.optional(z.array(z.looseObject({
      name: z.string(),
      localASN: z.optional(z.number()),
      peers: z.optional(z.array(z.looseObject({ name: z.string(), peerAddress: z.optional(z.string()), peerASN: z.optional(z.number()), peerConfigRef: z.optional(z.looseObject({ name: z.string() })) }))),
    }))),
  })),
  status: z.optional(z.looseObject({
    bgpInstances: z.optional(z.array(z.looseObject({
      name: z.string(),
      localASN: z.optional(z.number()),
      peers: z.optional(z.array(z.looseObject({
        name: z.string(), peerAddress: z.optional(z.string()), peerASN: z.optional(z.number()), peeringState: z.optional(z.string()),
        establishedTime: z.optional(z.string()),
        timers: z.optional(z.looseObject({ appliedHoldTimeSeconds: z.optional(z.number()), appliedKeepaliveSeconds: z.optional(z.number()) })),
      }))),
    }))),
  })),
});

export interface PeerFamily {
  afi: string;
  safi: string;
  received: number;
  accepted: number;
  advertised: number;
}

export interface PeerRow {
  node: string;
  localAsn: number;
  peerAsn: number;
  peerAddress: string;
  state: string;
  uptimeNs: number;
  families: PeerFamily[];
  json: Record<string, unknown>;
}

function familyAdvertises(cluster: ClusterSnapshot, family: BgpFamily): number {
  let n = 0;
  for (const svc of cluster.services) {
    const labels = serviceLabels(svc);
    const carried = cluster.advertisements.some(
      (ad) =>
        family.advertisements !== undefined && selectorMatches(family.advertisements, ad.labels) &&
        ad.entries.some((e) => e.type === 'Service' && e.addresses.includes('LoadBalancerIP') && e.selector !== undefined && selectorMatches(e.selector, labels)),
    );
    if (carried) n += svc.lbIps.filter((ip) => ip.includes(':') === (family.afi === 'ipv6')).length;
  }
  return n;
}

/** Go json with omitempty: drop zero values, sort keys like the generated model's field order. */
function omitEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined || v === 0 || v === '' || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[key] = v;
  }
  return out;
}

export function peerRows(nodeConfigs: unknown[], cluster: ClusterSnapshot, now: Date): PeerRow[] {
  const rows: PeerRow[] = [];
  const configs = nodeConfigs.map((n) => NodeConfig.safeParse(n)).flatMap((p) => (p.success ? [p.data] : []));
  for (const nc of configs.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    for (const inst of nc.status?.bgpInstances ?? []) {
      const specInst = nc.spec?.bgpInstances?.find((i) => i.name === inst.name);
      for (const peer of inst.peers ?? []) {
        const specPeer = specInst?.peers?.find((p) => p.name === peer.name);
        const pc = cluster.peerConfigs.find((p) => p.name === specPeer?.peerConfigRef?.name);
        const established = peer.peeringState === 'established';
        const since = peer.establishedTime ? Date.parse(peer.establishedTime) : NaN;
        const uptimeNs = established && !Number.isNaN(since) ? Math.max(0, now.getTime() - since) * 1e6 : 0;
        const families = (pc?.families ?? [{ afi: 'ipv4', safi: 'unicast' }, { afi: 'ipv6', safi: 'unicast' }]).map((f) => ({
          afi: f.afi, safi: f.safi, received: 0, accepted: 0, advertised: established ? familyAdvertises(cluster, f) : 0,
        }));
        const localAsn = inst.localASN ?? specInst?.localASN ?? 0;
        const peerAsn = peer.peerASN ?? specPeer?.peerASN ?? 0;
        rows.push({
          node: nc.metadata.name, localAsn, peerAsn, peerAddress: peer.peerAddress ?? specPeer?.peerAddress ?? '', state: peer.peeringState ?? 'unknown', uptimeNs, families,
          json: omitEmpty({
            name: peer.name,
            'local-asn': localAsn,
            'peer-asn': peerAsn,
            'peer-address': peer.peerAddress ?? specPeer?.peerAddress,
            'peer-port': pc?.peerPort ?? 179,
            'session-state': peer.peeringState ?? 'unknown',
            'uptime-nanoseconds': uptimeNs,
            families: families.map((f) => omitEmpty({ ...f })),
            'applied-hold-time-seconds': established ? (peer.timers?.appliedHoldTimeSeconds ?? pc?.holdTimeSeconds) : undefined,
            'applied-keep-alive-time-seconds': established ? (peer.timers?.appliedKeepaliveSeconds ?? pc?.keepAliveTimeSeconds) : undefined,
            'configured-hold-time-seconds': pc?.holdTimeSeconds ?? 90,
            'configured-keep-alive-time-seconds': pc?.keepAliveTimeSeconds ?? 30,
            'connect-retry-time-seconds': pc?.connectRetryTimeSeconds ?? 120,
            'ebgp-multihop-ttl': pc?.ebgpMultihop ?? 1,
            'graceful-restart': pc?.gracefulRestart ? omitEmpty({ enabled: pc.gracefulRestart.enabled, 'restart-time-seconds': pc.gracefulRestart.restartTimeSeconds }) : undefined,
            'tcp-password-enabled': pc?.authSecretRef !== undefined,
          }),
        });
      }
    }
  }
  // cilium-cli sorts each node's peers by local AS, then peer address.
  return rows.sort((a, b) => a.node.localeCompare(b.node) || a.localAsn - b.localAsn || a.peerAddress.localeCompare(b.peerAddress));
}

export function peersJson(rows: ReadonlyArray<PeerRow>): string {
  const byNode: Record<string, unknown[]> = {};
  for (const r of rows) (byNode[r.node] ??= []).push(r.json);
  // json.MarshalIndent(res, "", " ") then Println.
  return `${JSON.stringify(byNode, null, 1)}\n`;
}

/** printSummary of cilium-cli's bgp peers: node name on its first peer only, one row per family. */
export function peersTable(rows: ReadonlyArray<PeerRow>): string {
  const table: string[][] = [['Node', 'Local AS', 'Peer AS', 'Peer Address', 'Session State', 'Uptime', 'Family', 'Received', 'Advertised']];
  rows.forEach((r, n) => {
    const firstOfNode = n === 0 || rows[n - 1]?.node !== r.node;
    r.families.forEach((f, i) => {
      const uptime = formatGoDuration(Math.round(r.uptimeNs / 1e9) * 1e9);
      const head = i === 0 ? [firstOfNode ? r.node : '', String(r.localAsn), String(r.peerAsn), r.peerAddress, r.state, uptime] : ['', '', '', '', '', ''];
      table.push([...head, `${f.afi}/${f.safi}`, String(f.received), String(f.advertised), '']);
    });
  });
  return tabulate(table, { padding: 3, minWidth: 5 });
}
