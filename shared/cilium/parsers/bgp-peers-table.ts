import { stripVTControlCharacters } from 'node:util';
import { parseDuration, splitPeerAddress, type BgpPeerRow } from './bgp-peer.js';

// The summary table of `cilium bgp peers` (with a Node column) and `cilium-dbg bgp peers` (without,
// address with port). One row per address family; continuation rows leave the session columns
// blank, so they start with spaces and hold only Family, Received, Advertised; a node's further
// peers leave only the Node column blank.

const headerAliases: Record<string, string> = {
  node: 'node',
  'local as': 'localAsn',
  'peer as': 'peerAsn',
  'peer address': 'peerAddress',
  'session state': 'state',
  session: 'state',
  uptime: 'uptime',
  family: 'family',
  received: 'received',
  advertised: 'advertised',
};

function familyOf(text: string | undefined, received: string | undefined, advertised: string | undefined): BgpPeerRow['families'][number] | undefined {
  if (!text) return undefined;
  // The first agent CLI printed `ipv4_unicast`.
  const [afi, safi] = text.split(/[/_]/);
  return { afi: afi ?? text, safi: safi ?? 'unicast', received: Number(received ?? 0) || 0, advertised: Number(advertised ?? 0) || 0 };
}

export function parseBgpPeersTable(text: string): BgpPeerRow[] {
  const lines = text.split('\n').map((l) => stripVTControlCharacters(l).replace(/\r$/, ''));
  const headerAt = lines.findIndex((l) => /Local AS/.test(l) && /Peer Address/.test(l));
  if (headerAt < 0) return [];
  const columns = (lines[headerAt] ?? '').trim().split(/\s{2,}/).map((h) => headerAliases[h.toLowerCase()] ?? h);
  const rows: BgpPeerRow[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (line.trim() === '') continue;
    const tokens = line.trim().split(/\s+/);
    const last = rows[rows.length - 1];
    if (/^\s/.test(line) && tokens.length === 3 && last) {
      const family = familyOf(tokens[0], tokens[1], tokens[2]);
      if (family) last.families.push(family);
      continue;
    }
    // Further peers of a node leave the Node column blank.
    const cells = /^\s/.test(line) && columns[0] === 'node' && tokens.length === columns.length - 1 && last?.node ? [last.node, ...tokens] : tokens;
    if (cells.length !== columns.length) continue; // e.g. "Errors retrieving peering state: …"
    const cell = (name: string) => cells[columns.indexOf(name)];
    const address = splitPeerAddress(cell('peerAddress') ?? '');
    const uptime = cell('uptime');
    const seconds = uptime ? parseDuration(uptime) : undefined;
    const family = familyOf(cell('family'), cell('received'), cell('advertised'));
    rows.push({
      ...(cell('node') !== undefined ? { node: cell('node') } : {}),
      localAsn: Number(cell('localAsn')),
      peerAsn: Number(cell('peerAsn')),
      ...address,
      state: cell('state') ?? 'unknown',
      ...(uptime ? { uptime, ...(seconds !== undefined ? { uptimeSeconds: Math.floor(seconds) } : {}) } : {}),
      families: family ? [family] : [],
    });
  }
  return rows;
}

