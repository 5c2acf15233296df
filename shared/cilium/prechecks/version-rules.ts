import type { PrecheckResult } from '../../plan/index.js';
import { LabelSelector, selectorMatches } from '../label-selector.js';
import { featureMinimums, isAtLeast } from '../version.js';
import { changesOf, fail, list, objectsOfKind, pass, unknown, type Rule, type RuleContext } from './rule-kit.js';

// Cilium version per feature, and BGPv1 policies that would shadow (< 1.19) or silently replace
// (≥ 1.19, where they are ignored) the BGPv2 objects this change writes.

const ids = {
  bgpPeering: 'cluster.version.bgp-v2',
  loadBalancerPool: 'cluster.version.lb-ipam',
  egressGateway: 'cluster.version.egress-gateway',
  l2Announcement: 'cluster.version.l2-announcements',
  ciliumConfig: 'cluster.version.cilium-config',
} as const;

export const featureVersionRule: Rule = ({ spec, facts }) =>
  spec.changes.map((change, index) => {
    const min = featureMinimums[change.type];
    const f = { id: ids[change.type], title: `Cilium is recent enough for ${change.type}`, change: index };
    const version = facts?.ciliumVersion;
    if (!version) return unknown(f, 'the Cilium version (the cilium DaemonSet image tag was not collected)');
    return isAtLeast(version, min.version)
      ? pass(f, `Cilium ${version} ≥ ${min.version}: ${min.why}`)
      : fail(f, `Cilium ${version} < ${min.version}: ${min.why}`, `upgrade Cilium to ${min.version} or later before applying this ${change.type} change`);
  });

const PeeringPolicy = LabelSelector.optional();

function policySelector(policy: unknown): LabelSelector | undefined {
  const spec = (policy as { spec?: { nodeSelector?: unknown } }).spec;
  const parsed = PeeringPolicy.safeParse(spec?.nodeSelector);
  return parsed.success ? parsed.data : undefined;
}

export const peeringPolicyRule: Rule = ({ spec, facts }: RuleContext): PrecheckResult[] =>
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
