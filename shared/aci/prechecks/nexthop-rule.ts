import type { PrecheckResult } from '../../plan/index.js';
import type { BgpPeering } from '../../spec/index.js';
import { rnFor } from '../classes.js';
import { childDn, isWithin, parentDn } from '../dn.js';
import type { MoFact } from '../facts/aci-facts.js';
import { ownedByChangeflow } from '../model/annotation.js';
import { desiredAciMos } from '../model/desired.js';
import {
  interfaceProfileDn, l3outDn, matchPrefixDn, nodeProfileDn, profileNames, protocolProfileDn, routeMapDirection, tenantDn,
} from '../model/dns.js';
import { checkVersions, describeVersions, ignoreIgpMetricMinimum } from '../model/version-gates.js';
import { aciModelOptions } from '../planner/plan-aci.js';
import type { AciRuleContext, Indexed } from './context.js';
import { aciRules, fail, pass, unknown } from './rule.js';

// aci.version.nexthop-propagate: on 6.1(2)+ the design's advanced BGP option needs ignore IGP
// metric on the anchors' protocol profile and, on every floating-SVI peer, a route map that sets
// next-hop unchanged for every LoadBalancer pool prefix. The rule reads what will be configured
// once the plan is applied — the facts with the plan's objects laid over them — and names each
// piece that is missing, rather than passing because the versions allow it.

type Tree = Record<string, MoFact>;

/** The fabric as the plan leaves it (objects of absent changes are not taken away: see pools). */
function configuredAfter(ctx: AciRuleContext): Tree {
  const tree: Tree = { ...ctx.facts.mos };
  for (const mo of desiredAciMos(ctx.spec, aciModelOptions(ctx.spec, ctx.facts))) {
    tree[mo.dn] = { className: mo.className, attrs: { ...tree[mo.dn]?.attrs, ...mo.attrs } };
  }
  return tree;
}

const flagsOf = (v: string | undefined) => (v ?? '').split(',').map((f) => f.trim());
const byName = (tree: Tree, tenant: string, className: string, name: string | undefined): [string, MoFact] | undefined => {
  const dn = childDn(tenantDn(tenant), rnFor(className, { name: name === undefined || name === '' ? 'default' : name }));
  const mo = tree[dn];
  return mo?.className === className ? [dn, mo] : undefined;
};
const childrenOf = (tree: Tree, dn: string, className: string) =>
  Object.entries(tree).filter(([d, mo]) => mo.className === className && parentDn(d) === dn);

/** What is wrong with the route map at `dn`, or nothing. */
function routeMapProblems(tree: Tree, tenant: string, dn: string): { problems: string[]; matchRule?: string } {
  if (tree[dn]?.className !== 'rtctrlProfile') return { problems: [`route map ${dn} does not exist`] };
  const problems: string[] = [];
  let matchRule: string | undefined;
  const contexts = childrenOf(tree, dn, 'rtctrlCtxP').filter(([, c]) => (c.attrs.action ?? 'permit') === 'permit');
  const usable = contexts.some(([ctxDn]) => {
    const subj = childrenOf(tree, ctxDn, 'rtctrlRsCtxPToSubjP').map(([, r]) => byName(tree, tenant, 'rtctrlSubjP', r.attrs.tnRtctrlSubjPName)).find(Boolean);
    const attr = childrenOf(tree, `${ctxDn}/scp`, 'rtctrlRsScopeToAttrP').map(([, r]) => byName(tree, tenant, 'rtctrlAttrP', r.attrs.tnRtctrlAttrPName)).find(Boolean);
    const setsNextHop = attr !== undefined && childrenOf(tree, attr[0], 'rtctrlSetNhUnchanged').length > 0;
    if (subj && setsNextHop) matchRule = subj[0];
    return subj !== undefined && setsNextHop;
  });
  if (!usable) problems.push(`route map ${dn} has no permit context joining a match rule to a set rule with next-hop unchanged (rtctrlSetNhUnchanged)`);
  return matchRule === undefined ? { problems } : { problems, matchRule };
}

/** The LB pool prefixes the L3Out classifies and will keep: changeflow's ext-EPG subnets, minus absent pools. */
function poolPrefixes(ctx: AciRuleContext, tree: Tree, l3out: string): string[] {
  const leaving = new Set(ctx.spec.changes.flatMap((c) => (c.type === 'loadBalancerPool' && c.state === 'absent' ? c.blocks : [])));
  const prefixes = Object.entries(tree)
    .filter(([dn, mo]) => mo.className === 'l3extSubnet' && isWithin(dn, l3out) && ownedByChangeflow(mo.attrs) && mo.attrs.ip !== undefined)
    .map(([, mo]) => mo.attrs.ip as string);
  return [...new Set(prefixes)].filter((p) => !leaving.has(p)).sort();
}

export function nexthopPropagateRule(ctx: AciRuleContext, peering: Indexed<BgpPeering>): PrecheckResult {
  const rule = aciRules.nexthopPropagate;
  const checks = checkVersions(ctx.facts, peering.change.anchors.map((a) => a.nodeId), ignoreIgpMetricMinimum);
  const anchors = checks.filter((c) => c.node.startsWith('leaf'));
  const newer = anchors.filter((c) => c.meets === true);
  const older = anchors.filter((c) => c.meets === false);
  if (newer.length > 0 && older.length > 0) {
    return fail(rule, `anchors run different releases: ${describeVersions(newer)} support ignore IGP metric, ${describeVersions(older)} do not — best-path selection would differ between anchors`,
      `upgrade ${older.map((c) => c.node).join(', ')} to 16.1(2) or later, or choose anchors on one release`, peering.index);
  }
  if (checks.some((c) => c.meets === false)) {
    return pass(rule, `${describeVersions(checks.filter((c) => c.meets === false))} — before ${ignoreIgpMetricMinimum}: ignore IGP metric is not available and is not configured; ${aciRules.anchorMix.id} decides whether the nodes' placement is safe`, peering.index);
  }
  if (!checks.every((c) => c.meets === true)) {
    return unknown(rule, `no usable version for ${checks.filter((c) => c.meets === undefined).map((c) => c.node).join(', ')}`, 'collect firmwareCtrlrRunning and firmwareRunning (aci.collect) and plan again', peering.index);
  }

  const { tenant } = ctx.spec.aci;
  const tree = configuredAfter(ctx);
  const l3out = l3outDn(tenant, ctx.spec.aci.l3out);
  const nodeProfile = nodeProfileDn(l3out);
  const problems: string[] = [];
  const bestPath = byName(tree, tenant, 'bgpBestPathCtrlPol', tree[`${protocolProfileDn(nodeProfile)}/rsBestPathCtrlPol`]?.attrs.tnBgpBestPathCtrlPolName);
  if (!bestPath || !flagsOf(bestPath[1].attrs.ctrl).includes('ignoreIgpMetric')) {
    problems.push(`the anchors' protocol profile ${protocolProfileDn(nodeProfile)} references no best-path policy with ignoreIgpMetric`);
  }
  const peers = Object.entries(tree).filter(([dn, mo]) => mo.className === 'bgpPeerP' && isWithin(dn, interfaceProfileDn(nodeProfile)) && parentDn(dn).includes('/vlifp-'));
  const matchRules = new Set<string>();
  for (const [peer] of peers) {
    const maps = childrenOf(tree, peer, 'bgpRsPeerToProfile').filter(([, r]) => r.attrs.direction === routeMapDirection);
    if (maps.length === 0) {
      problems.push(`peer ${peer} has no ${routeMapDirection} route map`);
      continue;
    }
    for (const [, rel] of maps) {
      const found = routeMapProblems(tree, tenant, rel.attrs.tDn ?? '');
      problems.push(...found.problems);
      if (found.matchRule) matchRules.add(found.matchRule);
    }
  }
  const prefixes = poolPrefixes(ctx, tree, l3out);
  for (const rule of matchRules) {
    const missing = prefixes.filter((p) => tree[matchPrefixDn(rule, p)]?.className !== 'rtctrlMatchRtDest');
    if (missing.length > 0) problems.push(`match rule ${rule} lacks the LoadBalancer prefixes ${missing.join(', ')}, whose routes would keep the anchor as next hop`);
  }
  const versions = describeVersions(checks);
  if (problems.length > 0) {
    return fail(rule, `${versions}; after this plan: ${[...new Set(problems)].join('; ')}`,
      `let changeflow manage the route map ${profileNames.routeMap} (plan the peering again), or fix the objects named; for missing pool prefixes apply each pool's change again so it adds its blocks to ${profileNames.matchRule}`, peering.index);
  }
  return pass(rule, `${versions} — after this plan the anchors ignore the IGP metric (bgpBestPathCtrlPol ${bestPath?.[1].attrs.name ?? profileNames.bestPathPolicy}) and all ${peers.length} floating-SVI peers carry an ${routeMapDirection} route map setting next-hop unchanged for ${prefixes.length > 0 ? prefixes.join(', ') : 'no LoadBalancer prefix yet'}`, peering.index);
}
