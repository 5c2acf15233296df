import type { PlanOp } from '../../plan/index.js';
import type { ChangeSpec } from '../../spec/index.js';
import type { AciFacts } from '../facts/aci-facts.js';
import { ancestorAt } from '../facts/topology.js';
import { desiredAciMos, type AciModelOptions } from '../model/desired.js';
import { l3outDn, nodeProfileDn, protocolProfileDn } from '../model/dns.js';
import { checkVersions, gateOf, ignoreIgpMetricMinimum } from '../model/version-gates.js';
import { plannedCreations, plannedModifications } from './differences.js';
import { createOp, deleteOp, modifyOp } from './ops.js';
import { plannedRemovals } from './removals.js';

/**
 * What the model builds for this fabric: ignore-IGP-metric where every gate is known to pass.
 * With versions missing from the facts the current configuration is kept as it is, so that an
 * incomplete capture never plans the removal of a working best-path policy.
 */
export function aciModelOptions(spec: ChangeSpec, facts: AciFacts): AciModelOptions {
  const peering = spec.changes.find((c) => c.type === 'bgpPeering');
  const anchors = peering?.type === 'bgpPeering' ? peering.anchors.map((a) => a.nodeId) : [];
  const gate = gateOf(checkVersions(facts, anchors, ignoreIgpMetricMinimum));
  const nodeProfile = nodeProfileDn(l3outDn(spec.aci.tenant, spec.aci.l3out));
  const configured = facts.mos[`${protocolProfileDn(nodeProfile)}/rsBestPathCtrlPol`] !== undefined;
  return { ignoreIgpMetric: gate === 'yes' || (gate === 'unknown' && configured) };
}

/**
 * Desired MOs minus the facts → ordered ops with exact inverses: per tenant, removals first (so
 * a moved VLAN or subnet never exists twice), then modifications, then creations. Planning
 * against the facts of a successful apply gives no ops.
 */
export function planAci(spec: ChangeSpec, facts: AciFacts): PlanOp[] {
  const opts = aciModelOptions(spec, facts);
  const desired = desiredAciMos(spec, opts);
  const creations = plannedCreations(desired, facts);
  const modifications = plannedModifications(desired, facts);
  const removals = plannedRemovals(spec, facts, new Set(desired.map((mo) => mo.dn)), opts);
  const roots = [...new Set([...creations.map((m) => m.dn), ...modifications.map((m) => m.mo.dn), ...removals.map((r) => r.dn)].map((dn) => ancestorAt(dn, 2)))];
  return roots.flatMap((root) => {
    const inRoot = (dn: string) => ancestorAt(dn, 2) === root;
    const ops: PlanOp[] = [];
    const gone = removals.filter((r) => inRoot(r.dn));
    const changed = modifications.filter((m) => inRoot(m.mo.dn));
    const made = creations.filter((m) => inRoot(m.dn));
    if (gone.length > 0) ops.push(deleteOp(root, gone, facts));
    if (changed.length > 0) ops.push(modifyOp(root, changed));
    if (made.length > 0) ops.push(createOp(root, made));
    return ops;
  });
}
