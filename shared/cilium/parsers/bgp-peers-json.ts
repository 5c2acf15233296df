import * as z from '../../zod.js';
import { InvalidInput } from '../../errors.js';
import { formatDuration, splitPeerAddress, type BgpPeerRow } from './bgp-peer.js';
import { jsonInput } from './json-input.js';

// `cilium bgp peers -o json` prints `{ "<node>": [BgpPeer…] }`; `cilium-dbg bgp peers -o json`
// (inside one agent) prints the bare array. Counters are omitempty, so a missing `received` is 0.
// Older agents reported `uptime` in nanoseconds instead of `uptime-nanoseconds`.

const Family = z.looseObject({
  afi: z._default(z.string(), 'unknown'),
  safi: z._default(z.string(), 'unknown'),
  received: z._default(z.number(), 0),
  accepted: z.optional(z.number()),
  advertised: z._default(z.number(), 0),
});

const Peer = z.looseObject({
  'local-asn': z._default(z.number(), 0),
  'peer-asn': z._default(z.number(), 0),
  'peer-address': z._default(z.string(), ''),
  'peer-port': z.optional(z.number()),
  'session-state': z._default(z.string(), 'unknown'),
  'uptime-nanoseconds': z.optional(z.number()),
  uptime: z.optional(z.number()),
  families: z.nullish(z.array(Family)),
});

const Output = z.union([z.array(Peer), z.record(z.string(), z.nullable(z.array(Peer)))]);

function row(node: string | undefined, peer: z.infer<typeof Peer>): BgpPeerRow {
  const nanos = peer['uptime-nanoseconds'] ?? peer.uptime;
  const seconds = nanos === undefined ? undefined : Math.floor(nanos / 1e9);
  const address = splitPeerAddress(peer['peer-address']);
  const port = peer['peer-port'] ?? address.peerPort;
  return {
    ...(node !== undefined ? { node } : {}),
    localAsn: peer['local-asn'],
    peerAsn: peer['peer-asn'],
    peerAddress: address.peerAddress,
    ...(port !== undefined ? { peerPort: port } : {}),
    state: peer['session-state'],
    ...(seconds !== undefined ? { uptime: formatDuration(seconds), uptimeSeconds: seconds } : {}),
    families: (peer.families ?? []).map((f) => ({ afi: f.afi, safi: f.safi, received: f.received, advertised: f.advertised, ...(f.accepted !== undefined ? { accepted: f.accepted } : {}) })),
  };
}

export function parseBgpPeersJson(input: unknown): BgpPeerRow[] {
  const parsed = Output.safeParse(jsonInput(input, '`cilium bgp peers -o json` output'));
  if (!parsed.success) {
    throw new InvalidInput('expected `cilium bgp peers -o json` output: an object of node → peers, or an array of peers', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const data = parsed.data;
  if (Array.isArray(data)) return data.map((p) => row(undefined, p));
  return Object.keys(data).sort().flatMap((node) => (data[node] ?? []).map((p) => row(node, p)));
}
