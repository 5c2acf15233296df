import * as z from '../../zod.js';

// One BGP session as `cilium bgp peers` reports it (JSON or table), per node.

export const BgpPeerFamily = z.object({
  afi: z.string(),
  safi: z.string(),
  received: z.number(),
  advertised: z.number(),
  accepted: z.optional(z.number()),
});
export type BgpPeerFamily = z.infer<typeof BgpPeerFamily>;

export const BgpPeerRow = z.object({
  /** Absent for `cilium-dbg bgp peers` run inside one agent. */
  node: z.optional(z.string()),
  localAsn: z.number(),
  peerAsn: z.number(),
  peerAddress: z.string(),
  peerPort: z.optional(z.number()),
  /** idle, connect, active, open_sent, open_confirm, established, unknown. */
  state: z.string(),
  /** As the CLI prints it, e.g. "2m28s". */
  uptime: z.optional(z.string()),
  uptimeSeconds: z.optional(z.number()),
  families: z.array(BgpPeerFamily),
});
export type BgpPeerRow = z.infer<typeof BgpPeerRow>;

/** Go's time.Duration.String() for whole seconds: 0s, 2m28s, 1h2m3s. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${m}m${rest}s`;
  if (m > 0) return `${m}m${rest}s`;
  return `${rest}s`;
}

/** Parses Go durations such as "2m28s", "35m30s", "1h2m3s", "1.5s"; undefined otherwise. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)) total += Number(part[1]) * (unit[part[2] ?? 's'] ?? 0);
  return total;
}

/** "10.55.20.111:179" → address and port; "[fd00::1]:179" likewise; a bare address stays as is. */
export function splitPeerAddress(text: string): { peerAddress: string; peerPort?: number } {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(text);
  if (v6) return { peerAddress: v6[1] ?? text, peerPort: Number(v6[2]) };
  const v4 = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(text);
  if (v4) return { peerAddress: v4[1] ?? text, peerPort: Number(v4[2]) };
  return { peerAddress: text };
}
