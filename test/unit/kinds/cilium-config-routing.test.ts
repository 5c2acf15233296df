import { describe, expect, it } from 'vitest';
import { runClusterPrechecks } from '../../../shared/cilium/prechecks/run-prechecks.js';
import type { ClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { CiliumConfig } from '../../../shared/kinds/cilium-config/schema.js';
import { bgpChange, prodAFacts, specWith } from '../cilium/cluster-fixtures.js';

// The seed's datapath settings through ciliumConfig (issue 15 §4): settable, and judged on the
// config the agents restart with. prod-a runs native routing over 10.244.0.0/16 with direct node
// routes off; its nodes sit on the floating-SVI segment 192.168.2.0/24.

const config = (settings: Record<string, string>) => ({ type: 'ciliumConfig', settings, restart: 'rolling' });
const routing = (facts: ClusterFacts, ...changes: unknown[]) =>
  runClusterPrechecks(specWith(changes), facts).filter((r) => ['cluster.config.native-routing-cidr', 'cluster.config.direct-routes-segment', 'cluster.config.routing-switch', 'cluster.config.ipam-unchanged'].includes(r.id)).map((r) => [r.id, r.verdict, r.evidence]);

function tunnelled(): ClusterFacts {
  const facts = prodAFacts();
  return { ...facts, config: { ...facts.config, 'routing-mode': 'tunnel', 'tunnel-protocol': 'vxlan', 'ipv4-native-routing-cidr': '' } };
}

describe('ciliumConfig: the seed datapath settings', () => {
  it('takes routing-mode, auto-direct-node-routes, enable-endpoint-routes, kube-proxy-replacement and ipv4-native-routing-cidr; ipam stays refused', () => {
    const settings = { 'routing-mode': 'native', 'auto-direct-node-routes': 'true', 'enable-endpoint-routes': 'true', 'kube-proxy-replacement': 'true', 'ipv4-native-routing-cidr': '10.244.0.0/16', 'bpf-lb-acceleration': 'native', 'bpf-lb-algorithm': 'maglev', 'bpf-lb-mode': 'dsr' };
    expect(CiliumConfig.parse(config(settings)).settings).toEqual(settings);
    expect(CiliumConfig.safeParse(config({ ipam: 'cluster-pool' })).error?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^"ipam" may not be set: changing the IPAM mode/)]);
    expect(CiliumConfig.safeParse(config({ 'ipv4-native-routing-cidr': '10.244.0.0' })).error?.issues.map((i) => i.message)).toEqual(['"ipv4-native-routing-cidr" has the wrong form "10.244.0.0"; expected e.g. 10.244.0.0/16']);
  });

  it('passes direct node routes on prod-a: native routing covers every pod CIDR and the nodes share the floating-SVI segment', () => {
    expect(routing(prodAFacts(), bgpChange, config({ 'auto-direct-node-routes': 'true', 'enable-endpoint-routes': 'true' }))).toEqual([
      ['cluster.config.ipam-unchanged', 'pass', expect.any(String)],
      ['cluster.config.native-routing-cidr', 'pass', 'ipv4-native-routing-cidr=10.244.0.0/16 holds the 5 pod CIDRs of 5 nodes'],
      ['cluster.config.direct-routes-segment', 'pass', 'all 5 nodes are on the floating-SVI segment 192.168.2.0/24'],
    ]);
  });

  it('without a peering change in the spec, advises that the nodes must be on the floating-SVI segment', () => {
    const [, , segment] = routing(prodAFacts(), config({ 'auto-direct-node-routes': 'true' }));
    expect(segment).toEqual(['cluster.config.direct-routes-segment', 'pass', expect.stringMatching(/^advisory: nodes at 192\.168\.2\.10, 192\.168\.2\.11, .*no floating-SVI segment/)]);
  });

  it('refuses native routing without a CIDR, or with one that misses pod CIDRs; and direct routes in tunnel mode', () => {
    expect(routing(tunnelled(), config({ 'routing-mode': 'native' }))).toEqual([
      ['cluster.config.ipam-unchanged', 'pass', expect.any(String)],
      ['cluster.config.native-routing-cidr', 'fail', 'routing-mode=native (set by changes[0]) with ipv4-native-routing-cidr unset'],
      ['cluster.config.direct-routes-segment', 'pass', 'auto-direct-node-routes=false: no direct node routes'],
      ['cluster.config.routing-switch', 'pass', expect.stringMatching(/^advisory: routing-mode tunnel → native is disruptive/)],
    ]);
    const [, narrow] = routing(tunnelled(), config({ 'routing-mode': 'native', 'ipv4-native-routing-cidr': '10.244.0.0/24' }));
    expect(narrow).toEqual(['cluster.config.native-routing-cidr', 'fail', "ipv4-native-routing-cidr=10.244.0.0/24 (set by changes[0]) does not hold prod-a-cp1 10.244.10.0/24, prod-a-w1 10.244.11.0/24, prod-a-w2 10.244.12.0/24, prod-a-w3 10.244.13.0/24, prod-a-w4 10.244.14.0/24: their pods' traffic would be masqueraded"]);
    const [, , direct] = routing(tunnelled(), config({ 'auto-direct-node-routes': 'true' }));
    expect(direct).toEqual(['cluster.config.direct-routes-segment', 'fail', expect.stringMatching(/with routing-mode=tunnel: the agent refuses direct node routes in tunnel mode$/)]);
  });

  it('says the switch native → tunnel is disruptive too, and that staying put is not', () => {
    expect(routing(prodAFacts(), config({ 'routing-mode': 'tunnel' })).find(([id]) => id === 'cluster.config.routing-switch')?.[2]).toMatch(/^advisory: routing-mode native → tunnel is disruptive/);
    expect(routing(prodAFacts(), config({ 'routing-mode': 'native' })).find(([id]) => id === 'cluster.config.routing-switch')).toEqual(['cluster.config.routing-switch', 'pass', 'routing-mode stays native']);
  });
});
