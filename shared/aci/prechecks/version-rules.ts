import type { PrecheckResult } from '../../plan/index.js';
import {
  checkVersions, describeVersions, floatingSviMinimum, gateOf, ignoreIgpMetricMinimum, type NodeVersionCheck,
} from '../model/version-gates.js';
import type { AciRuleContext, Indexed } from './context.js';
import { describeNode, hasPlacementSource, placeNodes, placementSources } from './node-placement.js';
import { aciRules, fail, pass, unknown } from './rule.js';
import type { BgpPeering } from '../../spec/index.js';

// The version rules of the design (reference/aci.md §1): floating SVI on a physical domain since
// 5.0(1); next-hop propagate + ignore IGP metric since 6.1(2); before 6.1(2) the ingress nodes
// peer only with directly attached anchors or only with non-directly attached ones.

const anchorIds = (p: Indexed<BgpPeering>) => p.change.anchors.map((a) => a.nodeId);
const missing = (checks: ReadonlyArray<NodeVersionCheck>) => checks.filter((c) => c.meets === undefined).map((c) => c.node).join(', ');
const below = (checks: ReadonlyArray<NodeVersionCheck>) => checks.filter((c) => c.meets === false);

export function floatingSviRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.floatingSvi;
  const checks = checkVersions(ctx.facts, anchorIds(peering), floatingSviMinimum);
  const gate = gateOf(checks);
  if (gate === 'no') {
    return fail(rule, `${describeVersions(below(checks))} — floating SVI on physical domain ${ctx.spec.aci.physDomain} needs ${floatingSviMinimum} or later`,
      'upgrade the APIC and the anchor leaves to 5.0(1) or later (the design recommends 6.1(2) or later)', peering.index);
  }
  if (gate === 'unknown') {
    return unknown(rule, `no usable version for ${missing(checks)}`, 'collect firmwareCtrlrRunning and firmwareRunning (aci.collect) and plan again', peering.index);
  }
  return pass(rule, `${describeVersions(checks)} — all at ${floatingSviMinimum} or later`, peering.index);
}

export function anchorMixRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.anchorMix;
  const ids = anchorIds(peering);
  const gate = gateOf(checkVersions(ctx.facts, ids, ignoreIgpMetricMinimum));
  if (gate === 'yes') {
    return pass(rule, `APIC and anchors ${ids.join(', ')} run ${ignoreIgpMetricMinimum} or later: with ignore IGP metric, nodes may sit on anchor and non-anchor leaves alike`, peering.index);
  }
  const sources = placementSources(ctx, peering);
  if (!ctx.nodeAddresses || !hasPlacementSource(sources)) {
    const lacking = !ctx.nodeAddresses ? 'the BGP nodes\' addresses (cluster facts)' : 'the fabric\'s learned endpoints (fvCEp), its ARP adjacencies (arpAdjEp) and the spec\'s cabling';
    return unknown(rule, `cannot place the BGP nodes: ${lacking} missing`, 'gather cluster and APIC facts together (aci.collect reads endpoints and ARP adjacencies) and plan again, or declare the nodes\' leaves in bgpPeering.cabling', peering.index);
  }
  const placement = placeNodes(ctx.nodeAddresses, sources, ids);
  const release = gate === 'no' ? 'before 6.1(2)' : 'on an unknown release';
  if (placement.onAnchor.length > 0 && placement.offAnchor.length > 0) {
    const evidence = `${release}: ${placement.onAnchor.map(describeNode).join(', ')} sit on anchors; ${placement.offAnchor.map(describeNode).join(', ')} do not — locally attached routes would win on the anchors`;
    if (gate === 'no') {
      return fail(rule, evidence, `upgrade the APIC and anchors to 6.1(2)/16.1(2) or later, or narrow the nodeSelector ${JSON.stringify(peering.change.nodeSelector)} to nodes on one kind of leaf, or make the other leaves anchors`, peering.index);
    }
    return unknown(rule, evidence, 'collect the APIC and anchor versions: the mix is refused before 6.1(2)', peering.index);
  }
  if (placement.unlearned.length > 0) {
    return unknown(rule, `${release}: the fabric has no endpoint (fvCEp) and no ARP adjacency on a leaf port for ${placement.unlearned.map((n) => `${n.name} (${n.ip})`).join(', ')}, and the spec declares no cabling for ${placement.unlearned.length === 1 ? 'it' : 'them'}`,
      `check that these nodes are up and cabled (nodes behind an L3Out SVI show only as ARP adjacencies once the SVI exists), or declare their leaves in bgpPeering.cabling (e.g. ${placement.unlearned[0]?.name ?? 'node'}: [101]), then plan again`, peering.index);
  }
  const where = placement.offAnchor.length === 0 ? 'directly attached to anchors' : 'attached to non-anchor leaves only';
  const nodes = [...placement.onAnchor, ...placement.offAnchor];
  return pass(rule, `${release}: all ${nodes.length} BGP nodes are ${where} (${nodes.map(describeNode).join(', ')}) — the pre-6.1(2) peering rule holds`, peering.index);
}
