import type { ApicQuery } from '../../agent-protocol/index.js';
import type { ChangeSpec } from '../../spec/index.js';
import { tenantDn } from '../model/dns.js';
export { aciCollectQueries, aciFollowUpQueries } from './scoped-queries.js';

// The `aci.collect` payload: three read-only queries that together cover every fact the
// prechecks and the planner read (docs/architecture.md §2 step 3), the way the best APIC clients read a
// fabric — one subtree query per root with a `target-subtree-class` list instead of one class
// query per fact:
//   - the fabric topology: versions, nodes, BGP sessions, policy-CAM usage, ARP adjacencies (where
//     hosts behind an L3Out SVI are cabled: they are not learned as fvCEp);
//   - the change's tenant, whole (`rsp-prop-include=config-only`: what the planner diffs);
//   - the fabric-wide policy the rules compare against: ext EPGs, ESGs and selectors, VRF
//     relations, router ids, subnets, learned endpoints, domains and VLAN pools, the fabric AS
//     and the limits catalogue.
// This whole-fabric form is what operators capture (counts come from the lists: a moCount answer
// carries no DN to attribute it to). The agent reads the scoped form (scoped-queries.ts), whose
// count answers are filed by query name; parseAciFacts classifies MOs by class, so the split of
// the classes between queries is free.

/** Operational classes under `topology`. */
export const topologyFactClasses = ['fabricNode', 'firmwareCtrlrRunning', 'firmwareRunning', 'bgpPeerEntry', 'eqptcapacityPolUsage5min', 'arpAdjEp'] as const;

/** Policy (and learned endpoints) under `uni`, every tenant: what fabric-wide rules need. */
export const fabricFactClasses = [
  'l3extInstP', 'fvCtx', 'fvESg', 'fvRsScope', 'fvEPSelector', 'l3extRsEctx', 'l3extRsNodeL3OutAtt', 'fvRsCtx', 'fvRsBd', 'fvSubnet',
  'l3extSubnet', 'fvCEp', 'fvRsCEpToPathEp', 'fvIp', 'physDomP', 'l3extDomP', 'infraRsVlanNs', 'fvnsVlanInstP', 'fvnsEncapBlk',
  'bgpInstPol', 'bgpAsP', 'fvcapRule',
] as const;

/**
 * The whole-fabric form of the queries: what an operator captures for `changeflow plan --facts`
 * (every answer is attributed by class, counts included). The agent reads the scoped form below.
 */
export function aciCaptureQueries(spec: ChangeSpec): ApicQuery[] {
  return [
    {
      name: 'topology', path: '/api/mo/topology.json',
      query: { 'query-target': 'subtree', 'target-subtree-class': topologyFactClasses.join(',') },
    },
    { name: 'tenant', path: `/api/mo/${tenantDn(spec.aci.tenant)}.json`, query: { 'rsp-subtree': 'full', 'rsp-prop-include': 'config-only' } },
    {
      name: 'fabric-policy', path: '/api/mo/uni.json',
      query: { 'query-target': 'subtree', 'target-subtree-class': fabricFactClasses.join(',') },
    },
  ];
}
