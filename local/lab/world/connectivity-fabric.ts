import { selectorMatches } from '../../../shared/cilium/label-selector.js';
import { managedByLabel } from '../../../shared/cilium/ownership.js';
import type { ClusterSnapshot } from './cluster-snapshot.js';
import type { ActionVerdict, TestPeer, TestVerdict } from './connectivity-suite.js';
import type { FabricSnapshot } from './fabric-snapshot.js';
import { blockText, egressClassification, importingSubnet, l2Announces, poolOf, serviceLabels, sessionCarries } from './reachability.js';
import type { Session } from './sessions.js';
import { curlCommand, type TestPods } from './test-pods.js';

// The tests that exercise the fabric as well as the cluster, named as in cilium-cli where a test
// exists (north-south-loadbalancing, bgp-control-plane-v2, egress-gateway; l2-announcement is the
// lab's own). Each fails on exactly what is broken, with the curl/BGP message the CLI would print
// followed by a "(lab: …)" hint naming the missing piece.

/** A host beyond the L3Out, where north-south traffic comes from. */
const outside: TestPeer = { name: 'external/client', address: '203.0.113.10' };

const timedOut = (url: string, why: string): string => `command "${curlCommand(url)}" failed: command terminated with exit code 28 (lab: ${why})`;

function featureOff(cluster: ClusterSnapshot, key: string): string | undefined {
  return cluster.config[key] === 'true' ? undefined : `Feature ${key} is disabled`;
}

/**
 * Is this LoadBalancer address one the test exercises? cilium-cli's test only curls workloads it
 * deployed itself; the lab's stands in for "what changeflow publishes works", so it curls the
 * addresses of changeflow's pools and of no pool at all, and leaves another team's pools (their
 * tooling, their peering, which this lab does not model) to that team. A changeflow pool whose
 * advertisement no peer selects still fails here.
 */
function exercised(cluster: ClusterSnapshot, ip: string): boolean {
  const owner = poolOf(cluster, ip);
  return owner === undefined || owner.pool.labels[managedByLabel.key] === managedByLabel.value;
}

export function northSouth(fabric: FabricSnapshot, cluster: ClusterSnapshot, sessions: ReadonlyArray<Session>): TestVerdict {
  const actions: ActionVerdict[] = [];
  for (const svc of cluster.services.filter((s) => s.type === 'LoadBalancer')) {
    for (const ip of svc.lbIps.filter((a) => exercised(cluster, a))) {
      const port = svc.port ?? 80;
      const action: ActionVerdict = { name: `curl-ipv4-${actions.length}`, src: outside, dst: { name: `${svc.namespace}/${svc.name}`, address: ip, port } };
      actions.push(action);
      const carrying = sessions.filter((s) => sessionCarries(cluster, s, svc));
      const up = carrying.filter((s) => s.cilium === 'established');
      const url = `http://${ip}:${port}`;
      if (carrying.length === 0) {
        if (!l2Announces(cluster, svc)) action.failure = timedOut(url, `no CiliumBGPAdvertisement on a BGP peer selects service ${svc.namespace}/${svc.name}, so ${ip} is never advertised`);
        continue;
      }
      if (up.length === 0) {
        const states = carrying.map((s) => `${s.node}→${s.peerAddress ?? '?'} ${s.cilium}`).join(', ');
        action.failure = timedOut(url, `no established BGP session advertises ${ip} (${states})`);
        continue;
      }
      const owner = poolOf(cluster, ip);
      const block = owner?.block ?? { cidr: `${ip}/32` };
      const l3outs = [...new Set(up.map((s) => s.anchor?.l3outDn).filter((d): d is string => d !== undefined))];
      if (!l3outs.some((l3out) => importingSubnet(fabric, l3out, block))) {
        const what = owner ? `block ${blockText(block)} of pool ${owner.pool.name}` : `${ip}/32`;
        action.failure = timedOut(url, `${what} is not imported on ${l3outs.join(', ')}: no external EPG subnet with import-security covers it`);
      }
    }
  }
  return { name: 'north-south-loadbalancing', ...(actions.length === 0 ? { skip: 'skipped by condition' } : {}), scenarios: [{ name: 'outside-to-loadbalancer', actions }] };
}

export function bgpControlPlane(cluster: ClusterSnapshot, sessions: ReadonlyArray<Session>): TestVerdict {
  const off = featureOff(cluster, 'enable-bgp-control-plane');
  const actions: ActionVerdict[] = sessions.map((s, i) => ({
    name: `bgp-session-${i}`,
    src: { name: s.node, address: s.nodeIp ?? '' },
    dst: { name: s.peer, address: s.peerAddress ?? '', port: 179 },
    ...(s.cilium === 'established' ? {} : { failure: `BGP session is ${s.cilium}, expected established (lab: ${s.reason})` }),
  }));
  const skip = off ?? (actions.length === 0 ? 'skipped by condition' : undefined);
  return { name: 'bgp-control-plane-v2', ...(skip ? { skip } : {}), scenarios: skip ? [] : [{ name: 'bgpv2-advertisements', actions }] };
}

function firstHost(cidr: string): string {
  const [net] = cidr.split('/');
  const parts = (net ?? '').split('.');
  if (parts.length !== 4) return net ?? cidr;
  parts[3] = String(Math.min(254, Number(parts[3]) + 1));
  return parts.join('.');
}

export function egressGateway(fabric: FabricSnapshot, cluster: ClusterSnapshot, pods: TestPods): TestVerdict {
  const off = featureOff(cluster, 'enable-egress-gateway');
  if (off || cluster.egressPolicies.length === 0) return { name: 'egress-gateway', skip: off ?? 'skipped by condition', scenarios: [] };
  const actions = cluster.egressPolicies.map((policy, i): ActionVerdict => {
    const target = firstHost(policy.destinationCidrs[0] ?? '0.0.0.0/0');
    const src: TestPeer = { name: `${policy.namespace ?? 'default'}/${policy.podLabels['app'] ?? policy.name}`, address: pods.client.address };
    const action: ActionVerdict = { name: `curl-ipv4-${i}`, src, dst: { name: `${policy.name}-target`, address: target, port: 80 } };
    const url = `http://${target}:80`;
    const gateway = cluster.nodes.filter((n) => policy.gatewaySelectors.some((sel) => selectorMatches(sel, n.labels))).sort((a, b) => a.name.localeCompare(b.name))[0];
    if (policy.egressIp && policy.interface) action.failure = timedOut(url, `policy ${policy.name} sets both egressIP and interface, so Cilium ignores it`);
    else if (!gateway) action.failure = timedOut(url, `no node matches the egressGateway nodeSelector of ${policy.name}: traffic is dropped`);
    else if (policy.egressIp && !egressClassification(fabric, policy.egressIp)) {
      action.failure = timedOut(url, `egress IP ${policy.egressIp} (gateway ${gateway.name}) is not classified on the fabric: no ESG selector ip=='${policy.egressIp}/32' in the VRF and no import-security subnet covers it`);
    }
    return action;
  });
  return { name: 'egress-gateway', scenarios: [{ name: 'egress-gateway', actions }] };
}

export function l2Announcement(cluster: ClusterSnapshot): TestVerdict {
  const off = featureOff(cluster, 'enable-l2-announcements');
  const actions: ActionVerdict[] = [];
  if (!off) {
    for (const policy of cluster.l2Policies) {
      const nodes = cluster.nodes.filter((n) => selectorMatches(policy.nodeSelector, n.labels));
      for (const svc of cluster.services.filter((s) => s.type === 'LoadBalancer' && selectorMatches(policy.serviceSelector, serviceLabels(s)))) {
        for (const ip of svc.lbIps) {
          const action: ActionVerdict = { name: `arping-${actions.length}`, src: outside, dst: { name: `${svc.namespace}/${svc.name}`, address: ip, port: svc.port ?? 80 } };
          if (nodes.length === 0) action.failure = timedOut(`http://${ip}:${svc.port ?? 80}`, `no node matches the nodeSelector of CiliumL2AnnouncementPolicy ${policy.name}: nobody answers ARP for ${ip}`);
          else if (!policy.loadBalancerIPs) action.failure = timedOut(`http://${ip}:${svc.port ?? 80}`, `CiliumL2AnnouncementPolicy ${policy.name} has loadBalancerIPs: false`);
          actions.push(action);
        }
      }
    }
  }
  const skip = off ?? (actions.length === 0 ? 'skipped by condition' : undefined);
  return { name: 'l2-announcement', ...(skip ? { skip } : {}), scenarios: skip ? [] : [{ name: 'l2-announcement', actions }] };
}
