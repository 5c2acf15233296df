import type { PrecheckResult } from '../../plan/index.js';
import type { AciRuleContext } from '../../aci/prechecks/context.js';
import { esgsPerVrfRule, ipSelectorsPerLeafRule, policyCamRule } from '../../aci/prechecks/capacity-rules.js';
import { ipSelectorRule } from '../../aci/prechecks/conflict-rules.js';
import { kpr, requirementsRule, truthy } from '../../cilium/prechecks/config-rules.js';
import { describeSelector, selectorMatches } from '../../cilium/label-selector.js';
import { fail, list, nodesRule, none, pass } from '../../cilium/prechecks/rule-kit.js';
import type { ClusterPrechecks } from '../kind.js';

// egressGateway prechecks. Fabric: ESG and IP-selector capacity, one ESG per egress IP. Cluster:
// the egress-gateway feature and what it needs; a gateway selector that matches no node makes
// Cilium drop the traffic.

export function egressGatewayAciPrechecks(ctx: AciRuleContext): PrecheckResult[] {
  if (ctx.egress.length === 0) return [];
  return [esgsPerVrfRule(ctx), ipSelectorsPerLeafRule(ctx), ...ctx.egress.map((e) => ipSelectorRule(ctx, e)), policyCamRule(ctx)];
}


const configRule = requirementsRule(
  'egressGateway',
  { id: 'cluster.config.egress-gateway', title: 'Egress gateway, BPF masquerading and kube-proxy replacement are on' },
  [
    { keys: ['enable-egress-gateway', 'enable-ipv4-egress-gateway'], ok: (vs) => vs.some(truthy), want: 'enable-egress-gateway=true' },
    { keys: ['enable-bpf-masquerade'], ok: ([v]) => truthy(v), want: 'enable-bpf-masquerade=true' },
    kpr,
  ],
  'turn on egressGateway.enabled, bpf.masquerade and kubeProxyReplacement in the Cilium install (egress gateway requires all three), then restart the agents and operator',
);

// Cilium picks the first matching node by name; none means the selected pods' traffic is dropped.
const gatewayNodeRule = nodesRule('egressGateway', { id: 'cluster.nodes.egress-gateway', title: 'A node matches the egress gateway selector' }, (f, change, nodes) => {
  const matched = nodes.filter((n) => selectorMatches({ matchLabels: change.gatewayNodeSelector }, n.labels)).map((n) => n.name).sort();
  return matched.length > 0
    ? pass(f, `${list(matched)} match ${describeSelector(change.gatewayNodeSelector)}; Cilium uses the first by name, ${matched[0]}, as the gateway for ${change.egressIp}`)
    : fail(f, `no node matches ${describeSelector(change.gatewayNodeSelector)}: Cilium would drop the selected pods' traffic to ${change.destinationCidrs.join(', ')}`, `label the gateway node (kubectl label node NAME ${Object.entries(change.gatewayNodeSelector).map(([k, v]) => `${k}=${v}`).join(' ')}) or fix gatewayNodeSelector`);
});

export const egressGatewayClusterPrechecks: ClusterPrechecks = { release: none, config: configRule, nodes: gatewayNodeRule, existing: none };
