import type { PrecheckResult } from '../../plan/index.js';
import type { BgpPeering } from '../../spec/index.js';
import { tenantCaptured } from '../facts/parse-facts.js';
import { esgDn, applicationProfileDn, externalEpgDn, ipSelectorDn, l3outDn, vrfDn } from '../model/dns.js';
import type { AciRuleContext, Indexed } from './context.js';
import { aciLimits } from './limits.js';
import { hasPlacementSource, nonAnchorLeaves, placeNodes, placementSources } from './node-placement.js';
import { aciRules, fail, pass, unknown } from './rule.js';
import { counted } from '../../counted.js';
import type { CapacityCountKey } from '../facts/aci-facts.js';

// Capacity rules (reference/aci.md §4). Counts come from what the capture holds: "now" is what
// the fabric has, "adds" what this spec would create that is not there yet.

const recollect = 'collect the APIC facts (aci.collect) and plan again';

/** A count the APIC gave only as a total with others (capacity-counts.ts) is a bound: "at most". */
const bounded = (ctx: AciRuleContext, key: CapacityCountKey): boolean => ctx.facts.counts.atMost?.includes(key) ?? false;
const boundNote = 'the count is a total over external EPGs, ESGs and IP selectors, so only a bound';

function newExternalEpgs(ctx: AciRuleContext): string[] {
  const out = l3outDn(ctx.spec.aci.tenant, ctx.spec.aci.l3out);
  const names = [...new Set(ctx.pools.map((p) => p.change.externalEpg))];
  return names.filter((name) => !ctx.facts.mos[externalEpgDn(out, name)]);
}

export function extEpgsPerL3OutRule(ctx: AciRuleContext): PrecheckResult {
  const rule = aciRules.extEpgsPerL3Out;
  const out = l3outDn(ctx.spec.aci.tenant, ctx.spec.aci.l3out);
  if (!tenantCaptured(ctx.facts, ctx.spec.aci.tenant) || !ctx.facts.counts.extEpgsPerL3Out) {
    return unknown(rule, `the subtree of tenant ${ctx.spec.aci.tenant} is not in the facts`, recollect);
  }
  const now = ctx.facts.counts.extEpgsPerL3Out[out] ?? 0;
  const adds = newExternalEpgs(ctx);
  const total = now + adds.length;
  const evidence = `L3Out ${ctx.spec.aci.l3out} has ${now} external EPGs; the spec adds ${adds.length} (${adds.join(', ') || 'none'}) → ${total} of ${aciLimits.extEpgsPerL3Out}`;
  return total > aciLimits.extEpgsPerL3Out
    ? fail(rule, evidence, 'reuse an existing external EPG (several pools may share one) or classify egress IPs with ESGs instead')
    : pass(rule, evidence);
}

export function extEpgsFabricRule(ctx: AciRuleContext): PrecheckResult {
  const rule = aciRules.extEpgsFabric;
  const now = ctx.facts.counts.extEpgsFabric;
  if (now === undefined) return unknown(rule, 'no external EPG count in the facts', recollect);
  const adds = newExternalEpgs(ctx).length;
  const atMost = bounded(ctx, 'extEpgsFabric') ? 'at most ' : '';
  const evidence = `the fabric has ${atMost}${now} external EPGs; the spec adds ${adds} → ${atMost}${now + adds} of ${aciLimits.extEpgsFabric}`;
  if (now + adds <= aciLimits.extEpgsFabric) return pass(rule, evidence);
  return atMost
    ? unknown(rule, `${evidence}; ${boundNote}`, recollect)
    : fail(rule, evidence, 'reuse an existing external EPG or remove unused ones elsewhere in the fabric first');
}

export function bgpPeersPerLeafRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.bgpPeersPerLeaf;
  const perLeaf = ctx.facts.counts.bgpPeersPerLeaf;
  if (!perLeaf) return unknown(rule, 'no BGP peer entries (bgpPeerEntry) in the facts', recollect, peering.index);
  const over: string[] = [];
  const lines = peering.change.anchors.map((a) => {
    const now = perLeaf[String(a.nodeId)] ?? 0;
    const known = new Set((ctx.facts.bgpPeerEntries ?? []).filter((e) => e.nodeId === a.nodeId).map((e) => e.addr));
    const adds = ctx.nodeAddresses?.filter((n) => !known.has(n.ip)).length;
    const total = now + (adds ?? 0);
    if (total > aciLimits.bgpPeersPerLeaf) over.push(`leaf ${a.nodeId}`);
    return `leaf ${a.nodeId}: ${counted(now, 'peer')}${adds === undefined ? '' : ` + ${counted(adds, 'node')} → ${total}`}`;
  });
  const evidence = `${lines.join('; ')} (limit ${aciLimits.bgpPeersPerLeaf})`;
  if (over.length > 0) return fail(rule, evidence, `spread the nodes over more anchors than ${over.join(', ')} or peer fewer nodes (narrow the nodeSelector)`, peering.index);
  if (!ctx.nodeAddresses) return unknown(rule, `${evidence}; the number of BGP nodes is unknown`, 'gather the cluster facts with the APIC facts and plan again', peering.index);
  return pass(rule, evidence, peering.index);
}

export function anchorsRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.anchors;
  const ids = peering.change.anchors.map((a) => a.nodeId);
  if (ids.length > aciLimits.anchorsPerFloatingL3Out) {
    return fail(rule, `${ids.length} anchors (${ids.join(', ')}) of ${aciLimits.anchorsPerFloatingL3Out}`, 'use at most 6 anchor leaves; the other leaves reach the nodes as non-anchors', peering.index);
  }
  const sources = placementSources(ctx, peering);
  if (!ctx.nodeAddresses || !hasPlacementSource(sources)) {
    return unknown(rule, `${ids.length} anchors of ${aciLimits.anchorsPerFloatingL3Out}; the non-anchor leaves are unknown without node addresses and endpoint, ARP or cabling facts`, 'gather cluster and APIC facts together and plan again', peering.index);
  }
  const others = nonAnchorLeaves(placeNodes(ctx.nodeAddresses, sources, ids), ids);
  const evidence = `${ids.length} anchors (${ids.join(', ')}) of ${aciLimits.anchorsPerFloatingL3Out}; ${counted(others.length, 'non-anchor leaf', 'non-anchor leaves')} host${others.length === 1 ? 's' : ''} BGP nodes (${others.join(', ') || 'none'}) of ${aciLimits.nonAnchorsPerFloatingL3Out}`;
  return others.length > aciLimits.nonAnchorsPerFloatingL3Out
    ? fail(rule, evidence, 'narrow the nodeSelector to nodes on at most 32 non-anchor leaves, or split the cluster over two L3Outs', peering.index)
    : pass(rule, evidence, peering.index);
}

export function esgsPerVrfRule(ctx: AciRuleContext): PrecheckResult {
  const rule = aciRules.esgsPerVrf;
  const { tenant, vrf } = ctx.spec.aci;
  const perVrf = ctx.facts.counts.esgsPerVrf;
  if (!perVrf || !tenantCaptured(ctx.facts, tenant)) return unknown(rule, `the ESGs of tenant ${tenant} are not in the facts`, recollect);
  const now = perVrf[vrfDn(tenant, vrf)] ?? 0;
  const wanted = new Set(ctx.egress.map((e) => esgDn(applicationProfileDn(tenant, e.change.esg.applicationProfile), e.change.esg.name)));
  const adds = [...wanted].filter((dn) => !ctx.facts.mos[dn]).length;
  const atMost = bounded(ctx, 'esgsPerVrf') ? 'at most ' : '';
  const evidence = `VRF ${vrf} has ${atMost}${now} ESGs; the spec adds ${adds} → ${atMost}${now + adds} of ${aciLimits.esgsPerVrf}`;
  if (now + adds <= aciLimits.esgsPerVrf) return pass(rule, evidence);
  return atMost
    ? unknown(rule, `${evidence}; ${boundNote}`, recollect)
    : fail(rule, evidence, 'put several egress IPs into one ESG (one selector each) instead of one ESG per policy');
}

export function ipSelectorsPerLeafRule(ctx: AciRuleContext): PrecheckResult {
  const rule = aciRules.ipSelectorsPerLeaf;
  const now = ctx.facts.counts.ipSelectorsFabric;
  if (now === undefined) return unknown(rule, 'no IP selector count in the facts', recollect);
  const { tenant } = ctx.spec.aci;
  const adds = ctx.egress.filter((e) => {
    const esg = esgDn(applicationProfileDn(tenant, e.change.esg.applicationProfile), e.change.esg.name);
    return !ctx.facts.mos[ipSelectorDn(esg, e.change.egressIp)];
  }).length;
  const total = now + adds;
  // Per-leaf deployment is not in the facts; the fabric-wide count bounds every leaf's.
  const atMost = bounded(ctx, 'ipSelectorsFabric') ? 'at most ' : '';
  const evidence = `${atMost}${now} IP selectors fabric-wide + ${adds} → at most ${total} on any leaf (limit ${aciLimits.ipSelectorsPerLeaf})`;
  return total > aciLimits.ipSelectorsPerLeaf
    ? unknown(rule, `${evidence}; the per-leaf count cannot be derived from the facts`, 'check the leaves\' IP selector usage in the capacity dashboard before applying')
    : pass(rule, evidence);
}

export function policyCamRule(ctx: AciRuleContext): PrecheckResult {
  const rule = aciRules.policyCam;
  const cam = ctx.facts.policyCam;
  if (!cam) return unknown(rule, 'no policy-CAM usage (eqptcapacityPolUsage5min) in the facts', recollect);
  const anchors = ctx.peering?.change.anchors.map((a) => a.nodeId);
  const leaves = anchors ?? [...new Set(cam.map((c) => c.nodeId))];
  const ceiling = 100 - ctx.headroomPct;
  const rows = leaves.map((id) => {
    const entry = cam.find((c) => c.nodeId === id);
    return { id, pct: entry && entry.cap > 0 ? (100 * entry.used) / entry.cap : undefined, entry };
  });
  const text = rows.map((r) => `leaf ${r.id} ${r.entry ? `${r.entry.used}/${r.entry.cap} (${(r.pct ?? 0).toFixed(1)} %)` : 'not reported'}`).join(', ');
  const evidence = `${text}; ceiling ${ceiling} % (headroom ${ctx.headroomPct} %)`;
  const full = rows.filter((r) => r.pct !== undefined && r.pct > ceiling);
  if (full.length > 0) {
    return fail(rule, evidence, `free policy CAM on ${full.map((r) => `leaf ${r.id}`).join(', ')} (contracts, vzAny, compression) or pick other anchors`);
  }
  if (rows.some((r) => r.pct === undefined)) return unknown(rule, evidence, recollect);
  return pass(rule, evidence);
}
