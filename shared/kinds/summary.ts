import type { Change } from '../spec/index.js';
import { withKind } from './registry.js';

// One line per change, as `changeflow validate` prints it and a ticket work note can quote it:
// enough for a reviewer to recognise the change without reading the YAML. Each kind words its own.

/** The change without its type: `pool-red 10.0.10.0/24 → ext-EPG default_svc`. */
export function describeChange(change: Change, fabricAsn: number): string {
  return withKind(change, (kind, c) => kind.describe(c, fabricAsn));
}

/** `bgpPeering  AS 64512 ↔ fabric AS 65001 via 192.168.2.0/24 vlan-300, anchors 101,102`, `(absent)` marked. */
export function summarizeChange(change: Change, fabricAsn: number): string {
  const absent = change.state === 'absent' ? ' (absent)' : '';
  return `${change.type.padEnd(16)} ${describeChange(change, fabricAsn)}${absent}`;
}
