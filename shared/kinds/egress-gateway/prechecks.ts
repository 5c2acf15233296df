import type { PrecheckResult } from '../../plan/index.js';
import type { AciRuleContext } from '../../aci/prechecks/context.js';
import { esgsPerVrfRule, ipSelectorsPerLeafRule, policyCamRule } from '../../aci/prechecks/capacity-rules.js';
import { ipSelectorRule } from '../../aci/prechecks/conflict-rules.js';
import { egressPlacementRule } from '../../aci/prechecks/egress-placement.js';
import { effectiveConfig } from '../../cilium/prechecks/config-rules.js';
import { describeSelector, selectorMatches } from '../../cilium/label-selector.js';
import { egressFamilies, egressRequirements, ipv6EgressSince } from '../../cilium/release/egress-gateway.js';
import { changesOf, fail, list, nodesRule, none, pass, unknown, type Rule } from '../../cilium/prechecks/rule-kit.js';
import { parseCidr, parseHost } from '../../spec/addresses.js';
import type { ClusterPrechecks } from '../kind.js';

// egressGateway prechecks. Fabric: ESG and IP-selector capacity, one ESG per egress IP, the IP in
// a BD subnet of the VRF and outside the peering subnet. Cluster:
// the addresses the release's CRD takes, the egress-gateway feature and what the agent refuses to
// start without (shared/cilium/release/egress-gateway.ts, with its sources); a gateway selector
// that matches no node makes Cilium drop the traffic.

export function egressGatewayAciPrechecks(ctx: AciRuleContext): PrecheckResult[] {
  if (ctx.egress.length === 0) return [];
  return [esgsPerVrfRule(ctx), ipSelectorsPerLeafRule(ctx), ...ctx.egress.flatMap((e) => [ipSelectorRule(ctx, e), egressPlacementRule(ctx, e)]), policyCamRule(ctx)];
}

const familyOf = (text: string): 'ipv4' | 'ipv6' | undefined => (text.includes('/') ? parseCidr(text)?.family : parseHost(text)?.kind() === 'ipv6' ? 'ipv6' : parseHost(text) ? 'ipv4' : undefined);

// The CiliumEgressGatewayPolicy CRD before 1.20 takes IPv4 only (egressIP `format: ipv4`,
// destinationCIDRs/excludedCIDRs an IPv4-only pattern: reference CRDs v1.14.16 … v1.19 branch
// point); the API server would refuse the object. From 1.20 (cilium/cilium@aeb2d1b6) both
// families are accepted, but one policy SNATs to one egress IP, so its destinations must be of
// that IP's family.
const addressFamilyRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'egressGateway').map(({ change, index }) => {
    const f = { id: 'cluster.egress.address-family', title: "The egress IP and CIDRs are of a family the release's CiliumEgressGatewayPolicy takes", change: index };
    const release = facts?.ciliumVersion;
    if (!release) return unknown(f, 'the Cilium version, so not which address families its CiliumEgressGatewayPolicy takes');
    const accepted = egressFamilies(release);
    const addresses = [change.egressIp, ...change.destinationCidrs, ...(change.excludedCidrs ?? [])];
    const refused = addresses.filter((a) => !accepted.includes(familyOf(a) ?? 'ipv4'));
    if (refused.length > 0) {
      return fail(
        f,
        `${list(refused)} ${refused.length === 1 ? 'is' : 'are'} IPv6, but the CiliumEgressGatewayPolicy CRD of Cilium ${release} takes IPv4 only (egressIP format ipv4, IPv4 CIDR pattern): the API server would refuse the policy`,
        `use IPv4 egress IPs and destination CIDRs on Cilium ${release}, or upgrade to Cilium ${ipv6EgressSince} or later for IPv6 egress gateways`,
      );
    }
    const ipFamily = familyOf(change.egressIp);
    const mixed = [...change.destinationCidrs, ...(change.excludedCidrs ?? [])].filter((c) => familyOf(c) !== ipFamily);
    if (mixed.length > 0) {
      return fail(f, `egress IP ${change.egressIp} is ${ipFamily}, but ${list(mixed)} ${mixed.length === 1 ? 'is' : 'are'} not: Cilium ${release} cannot SNAT that traffic to it`, 'split the policy: one egressGateway change per address family, each with an egress IP of that family');
    }
    return pass(f, `egress IP ${change.egressIp} and ${change.destinationCidrs.length} destination CIDR(s) are ${ipFamily}, which Cilium ${release} takes`);
  });

const configRule: Rule = ({ spec, facts }) => {
  const cfg = effectiveConfig(spec, facts);
  const release = facts?.ciliumVersion;
  return changesOf(spec, 'egressGateway').map(({ index }) => {
    const f = { id: 'cluster.config.egress-gateway', title: 'Egress gateway and what it needs (BPF masquerading, kube-proxy replacement, CRD identities, no CiliumEndpointSlice) are on', change: index };
    if (!cfg) return unknown(f, 'cilium-config (the ConfigMap was not collected)');
    if (!release) return unknown(f, 'the Cilium version, so not which key turns the egress gateway on');
    const reqs = egressRequirements(release, cfg.get, cfg.source);
    const evidence = reqs.map((r) => r.seen).join('; ');
    const missing = reqs.filter((r) => !r.ok);
    if (missing.length === 0) return pass(f, `${evidence} (Cilium ${release})`);
    return fail(
      f,
      `${evidence} — Cilium ${release} needs ${missing.map((r) => r.want).join(', ')}`,
      'turn on egressGateway.enabled, bpf.masquerade and kubeProxyReplacement in the Cilium install (keep identityAllocationMode=crd and ciliumEndpointSlice off), then restart the agents and operator: the agent refuses to start the egress gateway otherwise',
    );
  });
};

// Cilium picks the first matching node by name; none means the selected pods' traffic is dropped.
const gatewayNodeRule = nodesRule('egressGateway', { id: 'cluster.nodes.egress-gateway', title: 'A node matches the egress gateway selector' }, (f, change, nodes) => {
  const matched = nodes.filter((n) => selectorMatches({ matchLabels: change.gatewayNodeSelector }, n.labels)).map((n) => n.name).sort();
  return matched.length > 0
    ? pass(f, `${list(matched)} match ${describeSelector(change.gatewayNodeSelector)}; Cilium uses the first by name, ${matched[0]}, as the gateway for ${change.egressIp}`)
    : fail(f, `no node matches ${describeSelector(change.gatewayNodeSelector)}: Cilium would drop the selected pods' traffic to ${change.destinationCidrs.join(', ')}`, `label the gateway node (kubectl label node NAME ${Object.entries(change.gatewayNodeSelector).map(([k, v]) => `${k}=${v}`).join(' ')}) or fix gatewayNodeSelector`);
});

export const egressGatewayClusterPrechecks: ClusterPrechecks = { release: addressFamilyRule, config: configRule, nodes: gatewayNodeRule, existing: none };
