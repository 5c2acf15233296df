import { canonicalHash } from '../canonical-json.js';
import type { Change, ChangeSpec } from '../spec/index.js';

// The desired state of a target (docs/architecture.md §3.7): every SUCCEEDED apply change still in
// force, oldest first — a later change of the same kind and name replaces an earlier one, a later
// `state: absent` removes it, cilium-config keys merge key by key. One ChangeSpec per fabric,
// cluster and L3Out carries it; planned (plan-only) against live facts, its diff is the drift,
// and applied it would restore the desired state.

export interface InForce {
  readonly changeId: string;
  /** When it succeeded (sorting key: the newest wins). */
  readonly at: string;
  readonly spec: ChangeSpec;
}

export interface RestoreGroup {
  readonly key: string;
  /** The changes whose desired state the spec carries, oldest first. */
  readonly inForce: readonly string[];
  readonly spec: ChangeSpec;
}

function changeKey(change: Change): string {
  return 'name' in change ? `${change.type}/${change.name}` : change.type;
}

export function groupKeyOf(spec: ChangeSpec): string {
  const { site, fabric, cluster } = spec.target;
  return [site, fabric, cluster, spec.aci.tenant, spec.aci.vrf, spec.aci.l3out].join('|');
}

export function restoreSpecs(changes: readonly InForce[]): RestoreGroup[] {
  const groups = new Map<string, { inForce: string[]; latest: ChangeSpec; desired: Map<string, Change> }>();
  for (const item of [...changes].sort((a, b) => a.at.localeCompare(b.at))) {
    const key = groupKeyOf(item.spec);
    const group = groups.get(key) ?? { inForce: [], latest: item.spec, desired: new Map<string, Change>() };
    groups.set(key, group);
    group.latest = item.spec;
    let contributes = false;
    for (const change of item.spec.changes) {
      const k = changeKey(change);
      if (change.state === 'absent') {
        contributes ||= group.desired.delete(k);
        continue;
      }
      const before = group.desired.get(k);
      group.desired.set(k, before?.type === 'ciliumConfig' && change.type === 'ciliumConfig' ? { ...change, settings: { ...before.settings, ...change.settings } } : change);
      contributes = true;
    }
    if (contributes) group.inForce.push(item.changeId);
  }
  const out: RestoreGroup[] = [];
  for (const [key, group] of groups) {
    const desired = [...group.desired.values()];
    if (desired.length === 0) continue;
    const { target, aci } = group.latest;
    // No connectivity test, no observation: a drift check only reads and plans.
    const spec: ChangeSpec = {
      apiVersion: 'changeflow/v1',
      kind: 'ChangeSpec',
      target,
      aci,
      changes: desired,
      verify: { ...group.latest.verify, connectivityTest: { ...group.latest.verify.connectivityTest, enabled: false } },
      mode: 'plan-only',
    };
    out.push({ key, inForce: group.inForce, spec });
  }
  return out;
}

/** A deterministic name part for a group (execution names are at most 80 characters). */
export function groupId(group: Pick<RestoreGroup, 'key'>): string {
  return canonicalHash(group.key).slice(0, 12);
}
