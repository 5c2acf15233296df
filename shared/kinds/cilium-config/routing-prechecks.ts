import { contains, parseHost, parseInterfaceAddress } from '../../spec/addresses.js';
import type { PrecheckResult } from '../../plan/index.js';
import { effectiveConfig, truthy } from '../../cilium/prechecks/config-rules.js';
import { advise, changesOf, fail, list, pass, unknown, type Rule } from '../../cilium/prechecks/rule-kit.js';

// The routing settings of the seed design as ciliumConfig changes (issue 15 §4): native routing,
// auto-direct-node-routes and endpoint routes put pods on the floating-SVI L2 domain without an
// overlay. Judged on the config the agents restart with (today's cilium-config plus the spec):
// - native routing needs ipv4-native-routing-cidr covering every pod CIDR, or the agents
//   masquerade pod traffic to other nodes (Cilium docs, "Native-Routing": "ipv4-native-routing-cidr
//   … the CIDR in which native routing can be performed");
// - auto-direct-node-routes installs a route per node via its InternalIP as the next hop, which
//   works only when every node shares one L2 segment (docs, "auto-direct-node-routes: … only
//   works if all nodes share an L2 network"); the floating-SVI design gives one segment, so the
//   node addresses must sit in the peering subnet (or, without one in the spec, in one subnet
//   of the nodes' own — said as an advisory);
// - switching between tunnel and native routing is disruptive: until every agent has restarted,
//   nodes disagree on how to reach each other's pods. Allowed, and said so.

function within(cidr: string, inner: string): boolean {
  const outer = parseInterfaceAddress(cidr);
  const host = inner.includes('/') ? undefined : parseHost(inner);
  const sub = host ? { address: host, length: host.kind() === 'ipv4' ? 32 : 128 } : parseInterfaceAddress(inner);
  return outer !== undefined && sub !== undefined && sub.length >= outer.length && contains(outer, sub.address);
}

const routingKeys = ['routing-mode', 'auto-direct-node-routes', 'enable-endpoint-routes', 'ipv4-native-routing-cidr'];
const touchesRouting = (settings: Record<string, string>): boolean => routingKeys.some((k) => k in settings);

const nativeCidrRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'ciliumConfig').filter(({ change }) => touchesRouting(change.settings)).map(({ index }) => {
    const f = { id: 'cluster.config.native-routing-cidr', title: 'Native routing covers every pod CIDR', change: index };
    const cfg = effectiveConfig(spec, facts);
    if (!cfg) return unknown(f, 'cilium-config (the ConfigMap was not collected)');
    if (cfg.get('routing-mode') !== 'native') return pass(f, `${cfg.source('routing-mode')}: pods are reached through the tunnel`);
    const cidr = cfg.get('ipv4-native-routing-cidr');
    if (!cidr) return fail(f, `${cfg.source('routing-mode')} with ipv4-native-routing-cidr unset`, 'set ipv4-native-routing-cidr to the CIDR that holds every pod CIDR (the cluster pool), in the same change');
    const nodes = facts?.nodes;
    if (!nodes) return unknown(f, 'the nodes and their pod CIDRs (Nodes were not listed)');
    const outside = nodes.flatMap((n) => (n.podCIDRs ?? []).filter((p) => p.includes('.') && !within(cidr, p)).map((p) => `${n.name} ${p}`));
    if (outside.length > 0) return fail(f, `${cfg.source('ipv4-native-routing-cidr')} does not hold ${list(outside)}: their pods' traffic would be masqueraded`, 'widen ipv4-native-routing-cidr to cover every node\'s pod CIDR');
    const counted = nodes.reduce((n, node) => n + (node.podCIDRs?.length ?? 0), 0);
    return counted === 0 ? unknown(f, 'the nodes\' pod CIDRs (spec.podCIDRs empty)') : pass(f, `${cfg.source('ipv4-native-routing-cidr')} holds the ${counted} pod CIDRs of ${nodes.length} nodes`);
  });

const directRoutesRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'ciliumConfig').filter(({ change }) => touchesRouting(change.settings)).map(({ index }) => {
    const f = { id: 'cluster.config.direct-routes-segment', title: 'auto-direct-node-routes has every node on one L2 segment', change: index };
    const cfg = effectiveConfig(spec, facts);
    if (!cfg) return unknown(f, 'cilium-config (the ConfigMap was not collected)');
    if (!truthy(cfg.get('auto-direct-node-routes'))) return pass(f, `${cfg.source('auto-direct-node-routes')}: no direct node routes`);
    if (cfg.get('routing-mode') !== 'native') {
      return fail(f, `${cfg.source('auto-direct-node-routes')} with ${cfg.source('routing-mode')}: the agent refuses direct node routes in tunnel mode`, 'set routing-mode: native (with ipv4-native-routing-cidr) in the same change, or leave auto-direct-node-routes out');
    }
    const nodes = facts?.nodes;
    if (!nodes) return unknown(f, 'the nodes and their InternalIPs (Nodes were not listed)');
    const peering = changesOf(spec, 'bgpPeering')[0]?.change;
    const missing = nodes.filter((n) => !n.internalIP).map((n) => n.name);
    if (missing.length > 0) return unknown(f, `the InternalIP of ${list(missing)}`);
    if (peering) {
      const off = nodes.filter((n) => !within(peering.peeringSubnet, n.internalIP ?? '')).map((n) => `${n.name} ${n.internalIP ?? ''}`);
      if (off.length > 0) return fail(f, `${list(off)} outside the floating-SVI segment ${peering.peeringSubnet}`, 'keep auto-direct-node-routes off, or move these nodes onto the floating-SVI segment');
      return pass(f, `all ${nodes.length} nodes are on the floating-SVI segment ${peering.peeringSubnet}`);
    }
    return advise(f, `nodes at ${list(nodes.map((n) => n.internalIP ?? ''))}; the spec names no floating-SVI segment to hold them against`, 'make sure every node sits on the floating-SVI segment (the design puts them there); a node behind a router is unreachable with direct routes');
  });

const disruptionRule: Rule = ({ spec, facts }) => {
  const out: PrecheckResult[] = [];
  for (const { change, index } of changesOf(spec, 'ciliumConfig')) {
    const to = change.settings['routing-mode'];
    if (!to) continue;
    const f = { id: 'cluster.config.routing-switch', title: 'Changing the routing mode is disruptive', change: index };
    const from = facts?.config ? (facts.config['routing-mode'] ?? 'tunnel') : undefined;
    if (from === undefined) out.push(unknown(f, 'the current routing-mode (cilium-config not collected)'));
    else if (from === to) out.push(pass(f, `routing-mode stays ${to}`));
    else out.push(advise(f, `routing-mode ${from} → ${to} is disruptive: while the agents restart node by node, nodes on the old mode and the new one cannot reach each other's pods`, 'run it in a maintenance window; the restart goes one node at a time with a health gate, and rollback restores the previous mode the same way'));
  }
  return out;
};

export const routingRules: Rule = (ctx) => [...nativeCidrRule(ctx), ...directRoutesRule(ctx), ...disruptionRule(ctx)];
