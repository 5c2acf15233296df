import type { PrecheckResult } from '../../plan/index.js';
import type { AciRuleContext } from '../../aci/prechecks/context.js';
import { anchorsRule, bgpPeersPerLeafRule, policyCamRule } from '../../aci/prechecks/capacity-rules.js';
import { fabricAsnRule, l3outVrfRule, peeringPrefixRule, routerIdRule } from '../../aci/prechecks/conflict-rules.js';
import { l3DomainRule, l3VlanInPoolRule, physDomainRule, vlanInPoolRule } from '../../aci/prechecks/domain-rules.js';
import { nexthopPropagateRule } from '../../aci/prechecks/nexthop-rule.js';
import { anchorMixRule, floatingSviRule } from '../../aci/prechecks/version-rules.js';
import { effectiveConfig, requirementsRule, truthy } from '../../cilium/prechecks/config-rules.js';
import { describeSelector, LabelSelector, selectorMatches } from '../../cilium/label-selector.js';
import { changesOf, fail, list, nodesRule, objectsOfKind, pass, unknown, type Rule, type RuleContext } from '../../cilium/prechecks/rule-kit.js';
import { isAtLeast } from '../../cilium/version.js';
import type { ClusterPrechecks } from '../kind.js';
import { clusterSessionSource, nodeConfigStatusSince } from './verify.js';
import { peeringFamilies } from './cluster.js';
import { bgpPasswordSecretName, defaultCiliumNamespace } from '../../cilium/manifests/names.js';
import { changeflowPoolFamilies } from '../../cilium/prechecks/pool-families.js';
import * as z from '../../zod.js';

// bgpPeering prechecks. Fabric: versions of the floating SVI and next-hop propagate, capacity,
// the physical domain and VLAN, the fabric AS, router ids and prefixes. Cluster: BGPv1 policies
// that would shadow (< 1.19) or silently replace (≥ 1.19, where they are ignored) the BGPv2
// objects this change writes; the BGP control plane and its status report; nodes to peer.

export function bgpPeeringAciPrechecks(ctx: AciRuleContext): PrecheckResult[] {
  const peering = ctx.peering;
  if (!peering) return [];
  return [
    floatingSviRule(ctx, peering),
    nexthopPropagateRule(ctx, peering),
    anchorMixRule(ctx, peering),
    anchorsRule(ctx, peering),
    bgpPeersPerLeafRule(ctx, peering),
    physDomainRule(ctx, peering),
    vlanInPoolRule(ctx, peering),
    l3DomainRule(ctx, peering),
    l3VlanInPoolRule(ctx, peering),
    fabricAsnRule(ctx, peering),
    routerIdRule(ctx, peering),
    peeringPrefixRule(ctx, peering),
    l3outVrfRule(ctx),
    policyCamRule(ctx),
  ];
}

const PeeringPolicy = z.optional(LabelSelector);

function policySelector(policy: unknown): LabelSelector | undefined {
  const spec = (policy as { spec?: { nodeSelector?: unknown } }).spec;
  const parsed = PeeringPolicy.safeParse(spec?.nodeSelector);
  return parsed.success ? parsed.data : undefined;
}

const peeringPolicyRule: Rule = ({ spec, facts }: RuleContext): PrecheckResult[] =>
  changesOf(spec, 'bgpPeering').map(({ change, index }) => {
    const f = { id: 'cluster.version.peering-policy-removed', title: 'No BGPv1 CiliumBGPPeeringPolicy shadows the BGPv2 peering', change: index };
    const version = facts?.ciliumVersion;
    if (!version) return unknown(f, 'the Cilium version');
    const crdInstalled = facts?.crds?.some((c) => c.kind === 'CiliumBGPPeeringPolicy');
    const policies = objectsOfKind(facts, 'CiliumBGPPeeringPolicy') ?? (crdInstalled === false ? [] : undefined);
    if (!policies) return unknown(f, 'whether CiliumBGPPeeringPolicy objects exist (they were not listed)');
    const names = policies.map((p) => p.metadata.name).sort();
    if (isAtLeast(version, '1.19')) {
      if (names.length === 0) return pass(f, `Cilium ${version} has no BGPv1 and no CiliumBGPPeeringPolicy objects remain`);
      return fail(
        f,
        `CiliumBGPPeeringPolicy ${list(names)} still exist, but Cilium ${version} removed BGPv1 (1.19) and ignores them silently: the nodes they select run no BGP from them`,
        `delete them once this change's BGPv2 peering replaces them: kubectl delete ciliumbgppeeringpolicies ${names.join(' ')}`,
      );
    }
    if (names.length === 0) return pass(f, 'no CiliumBGPPeeringPolicy objects exist');
    const nodes = facts?.nodes;
    if (!nodes) return unknown(f, `which nodes CiliumBGPPeeringPolicy ${list(names)} select (nodes were not collected)`);
    const ours = nodes.filter((n) => selectorMatches({ matchLabels: change.nodeSelector }, n.labels));
    const shadowed = ours.filter((n) => policies.some((p) => selectorMatches(policySelector(p), n.labels))).map((n) => n.name);
    if (shadowed.length === 0) return pass(f, `CiliumBGPPeeringPolicy ${list(names)} select none of the nodes this peering selects`);
    return fail(
      f,
      `on Cilium ${version} a CiliumBGPPeeringPolicy takes precedence over BGPv2 for the nodes it selects; ${list(names)} select ${list(shadowed)}, which would never get the new peers`,
      `migrate to BGPv2: narrow the nodeSelector of ${list(names)} so it selects none of ${list(shadowed)} (or delete them), then apply this change; BGPv1 is removed in 1.19 anyway`,
    );
  });


const controlPlaneRule = requirementsRule(
  'bgpPeering',
  { id: 'cluster.config.bgp-control-plane', title: 'The BGP control plane is enabled' },
  [{ keys: ['enable-bgp-control-plane'], ok: ([v]) => truthy(v), want: 'enable-bgp-control-plane=true' }],
  'enable it (Helm bgpControlPlane.enabled=true, or a ciliumConfig change setting enable-bgp-control-plane: "true" before this one) and restart the agents and operator',
);

// Where the verify step can see the sessions (verify.ts, clusterSessionSource): CiliumBGPNodeConfig
// status from 1.16.2, switchable off from 1.17 (enable-bgp-control-plane-status-report); on
// 1.16.0/1.16.1 there is none and the agents are asked with `cilium bgp peers`.
const statusReportRule: Rule = ({ spec, facts }) => {
  const cfg = effectiveConfig(spec, facts);
  const release = facts?.ciliumVersion;
  return changesOf(spec, 'bgpPeering').map(({ index }) => {
    const f = { id: 'cluster.config.bgp-status-report', title: 'BGP status reporting is on, so the peering can be verified', change: index };
    if (!cfg) return unknown(f, 'cilium-config');
    const source = clusterSessionSource(release);
    if (source.source === 'cilium-bgp-peers') return pass(f, `the verify step reads the sessions with cilium bgp peers: Cilium ${release} writes no CiliumBGPNodeConfig status (from ${nodeConfigStatusSince} on)`);
    if (release && !isAtLeast(release, '1.17')) return pass(f, `Cilium ${release} always writes CiliumBGPNodeConfig status (enable-bgp-control-plane-status-report, to turn it off, arrived in 1.17)`);
    if (cfg.get('enable-bgp-control-plane-status-report') === 'false') {
      return fail(f, `${cfg.source('enable-bgp-control-plane-status-report')}: CiliumBGPNodeConfig status stays empty and the verify step cannot see the sessions`, 'set enable-bgp-control-plane-status-report: "true" (Helm bgpControlPlane.statusReport.enabled) with a ciliumConfig change');
    }
    return pass(f, cfg.get('enable-bgp-control-plane-status-report') === undefined ? 'enable-bgp-control-plane-status-report unset: the agent default (on) applies' : cfg.source('enable-bgp-control-plane-status-report'));
  });
};

// A password-protected peering: the PeerConfig's authSecretRef names a Secret Cilium looks up in
// its BGP secrets namespace (cilium-config bgp-secrets-namespace, kube-system when unset), and
// changeflow writes that Secret in the Cilium namespace — the two must be one, or the sessions
// come up without a password Cilium can find (MissingAuthSecret) and the anchors refuse them.
const secretsNamespaceRule: Rule = ({ spec, facts }) => {
  const cfg = effectiveConfig(spec, facts);
  return changesOf(spec, 'bgpPeering').filter(({ change }) => change.password).map(({ index }) => {
    const f = { id: 'cluster.config.bgp-secrets-namespace', title: 'Cilium reads the BGP password Secret where changeflow writes it', change: index };
    if (!cfg || !facts) return unknown(f, 'cilium-config (the ConfigMap was not collected)');
    const reads = cfg.get('bgp-secrets-namespace') ?? defaultCiliumNamespace;
    const writes = facts.ciliumNamespace;
    const source = cfg.get('bgp-secrets-namespace') === undefined ? `bgp-secrets-namespace unset (Cilium's default ${defaultCiliumNamespace})` : cfg.source('bgp-secrets-namespace');
    if (reads === writes) return pass(f, `${source}: the Secret ${bgpPasswordSecretName(spec.aci)} goes to ${writes}, where Cilium reads it`);
    return fail(
      f,
      `${source}, but changeflow writes the Secret ${bgpPasswordSecretName(spec.aci)} in the Cilium namespace ${writes}: Cilium would not find the password (cilium.io/MissingAuthSecret) and the anchors refuse the sessions`,
      `set bgp-secrets-namespace: "${writes}" (Helm bgpControlPlane.secretsNamespace.name) with a ciliumConfig change before this one`,
    );
  });
};

// One peering per spec, so control plane then status report keeps each change's results together.
const configRule: Rule = (ctx) => [...controlPlaneRule(ctx), ...statusReportRule(ctx), ...secretsNamespaceRule(ctx)];

// A nodeSelector that selects nothing peers nowhere, silently.
const peeringNodesRule = nodesRule('bgpPeering', { id: 'cluster.nodes.bgp-selector', title: 'Some nodes match the BGP nodeSelector' }, (f, change, nodes) => {
  const matched = nodes.filter((n) => selectorMatches({ matchLabels: change.nodeSelector }, n.labels));
  return matched.length > 0
    ? pass(f, `${matched.length} node(s) match ${describeSelector(change.nodeSelector)}: ${list(matched.map((n) => `${n.name}${n.internalIP ? ` (${n.internalIP})` : ''}`))}`)
    : fail(f, `no node matches ${describeSelector(change.nodeSelector)} among ${list(nodes.map((n) => n.name))}`, `label the peering nodes (kubectl label node NAME ${Object.entries(change.nodeSelector).map(([k, v]) => `${k}=${v}`).join(' ')}) or fix nodeSelector`);
});

// The PeerConfig this change writes lists the families of the spec's pools (cluster.ts,
// peeringFamilies); changeflow pools already in the cluster need theirs listed too, or their
// routes are withdrawn when the PeerConfig is re-applied without them.
const poolFamiliesRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'bgpPeering').map(({ change, index }) => {
    const f = { id: 'cluster.bgp.pool-families', title: "The peering lists the address families of changeflow's pools", change: index };
    if (!objectsOfKind(facts, 'CiliumLoadBalancerIPPool')) return unknown(f, 'the existing CiliumLoadBalancerIPPools (not listed)');
    const removed = new Set(changesOf(spec, 'loadBalancerPool', 'absent').map(({ change: p }) => p.name));
    const listed = peeringFamilies(change, spec);
    const inSpec = new Set(changesOf(spec, 'loadBalancerPool').map(({ change: p }) => p.name));
    const left = changeflowPoolFamilies(facts, removed).filter((p) => !inSpec.has(p.name) && p.families.some((fam) => !listed.includes(fam)));
    if (left.length === 0) return pass(f, `the PeerConfig lists ${listed.join(', ')} unicast, covering every changeflow pool`);
    return fail(
      f,
      `the PeerConfig would list only ${listed.join(', ')} unicast, but changeflow's pool(s) ${list(left.map((p) => `${p.name} (${p.families.join('+')})`))} need more: their addresses would stop being advertised`,
      `add ${list(left.map((p) => p.name))} to this spec as loadBalancerPool changes (unchanged), so the PeerConfig lists their families`,
    );
  });

export const bgpPeeringClusterPrechecks: ClusterPrechecks = { release: peeringPolicyRule, config: configRule, nodes: peeringNodesRule, existing: poolFamiliesRule };
