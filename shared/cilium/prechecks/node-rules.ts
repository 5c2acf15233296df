import type { PrecheckResult } from '../../plan/index.js';
import { describeSelector, selectorMatches } from '../label-selector.js';
import { changesOf, fail, list, pass, unknown, type Rule } from './rule-kit.js';

// Selectors that select nothing fail silently on the cluster: BGP peers nowhere, and an egress
// policy whose gateway selector matches no node drops the traffic.

export const nodeRules: Rule = ({ spec, facts }) => {
  const out: PrecheckResult[] = [];
  const nodes = facts?.nodes;
  for (const { change, index } of changesOf(spec, 'bgpPeering')) {
    const f = { id: 'cluster.nodes.bgp-selector', title: 'Some nodes match the BGP nodeSelector', change: index };
    if (!nodes) { out.push(unknown(f, 'the nodes and their labels')); continue; }
    const matched = nodes.filter((n) => selectorMatches({ matchLabels: change.nodeSelector }, n.labels));
    out.push(matched.length > 0
      ? pass(f, `${matched.length} node(s) match ${describeSelector(change.nodeSelector)}: ${list(matched.map((n) => `${n.name}${n.internalIP ? ` (${n.internalIP})` : ''}`))}`)
      : fail(f, `no node matches ${describeSelector(change.nodeSelector)} among ${list(nodes.map((n) => n.name))}`, `label the peering nodes (kubectl label node NAME ${Object.entries(change.nodeSelector).map(([k, v]) => `${k}=${v}`).join(' ')}) or fix nodeSelector`));
  }
  for (const { change, index } of changesOf(spec, 'egressGateway')) {
    const f = { id: 'cluster.nodes.egress-gateway', title: 'A node matches the egress gateway selector', change: index };
    if (!nodes) { out.push(unknown(f, 'the nodes and their labels')); continue; }
    const matched = nodes.filter((n) => selectorMatches({ matchLabels: change.gatewayNodeSelector }, n.labels)).map((n) => n.name).sort();
    out.push(matched.length > 0
      ? pass(f, `${list(matched)} match ${describeSelector(change.gatewayNodeSelector)}; Cilium uses the first by name, ${matched[0]}, as the gateway for ${change.egressIp}`)
      : fail(f, `no node matches ${describeSelector(change.gatewayNodeSelector)}: Cilium would drop the selected pods' traffic to ${change.destinationCidrs.join(', ')}`, `label the gateway node (kubectl label node NAME ${Object.entries(change.gatewayNodeSelector).map(([k, v]) => `${k}=${v}`).join(' ')}) or fix gatewayNodeSelector`));
  }
  return out;
};

export const statusRule: Rule = ({ spec, facts }) => {
  const f = { id: 'cluster.status.healthy', title: 'cilium status reports no errors' };
  if (spec.changes.length === 0) return [];
  const status = facts?.status;
  if (!status) return [unknown(f, 'cilium status -o json output')];
  const counts = status.desired === undefined ? '' : ` (${status.ready}/${status.desired} agents ready${status.operator ? `, operator ${status.operator.ready}/${status.operator.desired}` : ''})`;
  return [status.healthy
    ? pass(f, `cilium status healthy${counts}${status.warnings.length > 0 ? `; warnings: ${list(status.warnings, 3)}` : ''}`)
    : fail(f, `cilium status reports: ${list(status.errors, 5)}${counts}`, 'fix the cluster first (cilium status --wait shows the details); changing a cluster that is already unhealthy hides what the change did')];
};
