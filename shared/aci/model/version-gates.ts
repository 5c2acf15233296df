import type { AciFacts } from '../facts/aci-facts.js';
import { aciVersionAtLeast } from '../version.js';

// Feature gates checked on the APIC and on the anchor leaves, since the BGP features run on the
// switches (reference/aci.md §3 [I]): floating SVI on a physical domain needs 5.0(1); ignore IGP
// metric with next-hop propagate needs 6.1(2) (switch 16.1(2)).

export const floatingSviMinimum = '5.0(1)';
export const ignoreIgpMetricMinimum = '6.1(2)';

export interface NodeVersionCheck {
  /** `APIC 1` or `leaf 101`. */
  readonly node: string;
  readonly version?: string;
  /** undefined when the version is missing or does not parse. */
  readonly meets?: boolean;
}

export type Gate = 'yes' | 'no' | 'unknown';

export function checkVersions(facts: AciFacts, anchorIds: ReadonlyArray<number>, minimum: string): NodeVersionCheck[] {
  const controllers: NodeVersionCheck[] = facts.controllers?.map((c) => ({
    node: `APIC ${c.nodeId}`, version: c.version, meets: aciVersionAtLeast(c.version, minimum),
  })) ?? [{ node: 'APIC' }];
  const anchors = anchorIds.map((id): NodeVersionCheck => {
    const leaf = facts.leaves?.find((l) => l.nodeId === id);
    const version = leaf?.peVer || leaf?.version;
    return version ? { node: `leaf ${id}`, version: leaf?.version ?? version, meets: aciVersionAtLeast(version, minimum) } : { node: `leaf ${id}` };
  });
  return [...controllers, ...anchors];
}

export function gateOf(checks: ReadonlyArray<NodeVersionCheck>): Gate {
  if (checks.some((c) => c.meets === false)) return 'no';
  return checks.every((c) => c.meets === true) ? 'yes' : 'unknown';
}

/** The planner configures ignore-IGP-metric only when every controller and anchor is known to run 6.1(2)+. */
export function ignoreIgpMetricSupported(facts: AciFacts, anchorIds: ReadonlyArray<number>): boolean {
  return gateOf(checkVersions(facts, anchorIds, ignoreIgpMetricMinimum)) === 'yes';
}

export function describeVersions(checks: ReadonlyArray<NodeVersionCheck>): string {
  return checks.map((c) => `${c.node} ${c.version ?? 'version unknown'}`).join(', ');
}
