import type { ApicQuery } from '../../agent-protocol/index.js';
import type { ChangeSpec } from '../../spec/index.js';
import { physDomainDn, tenantDn } from '../model/dns.js';

// The `aci.collect` payload: one batch of read-only queries that together cover every fact the
// prechecks and the planner read (docs/architecture.md §2 step 3). Counts come from class queries rather than
// rsp-subtree-include=count, because a moCount answer carries no DN to attribute it to.

export interface CollectOptions {
  /** Cluster node IPs: narrows the endpoint query to them (all endpoints otherwise). */
  readonly nodeAddresses?: ReadonlyArray<{ name: string; ip: string }>;
}

export function aciCollectQueries(spec: ChangeSpec, opts: CollectOptions = {}): ApicQuery[] {
  const tenant = tenantDn(spec.aci.tenant);
  const inTenant = (cls: string) => ({ 'query-target-filter': `wcard(${cls}.dn,"${tenant}/")` });
  const ips = (opts.nodeAddresses ?? []).map((n) => `eq(fvCEp.ip,"${n.ip}")`);
  const endpointFilter: Record<string, string> =
    ips.length === 0 ? {} : { 'query-target-filter': ips.length === 1 ? (ips[0] as string) : `or(${ips.join(',')})` };
  return [
    { name: 'controller-versions', path: '/api/class/firmwareCtrlrRunning.json' },
    { name: 'switch-versions', path: '/api/class/firmwareRunning.json' },
    { name: 'fabric-nodes', path: '/api/class/fabricNode.json' },
    { name: 'tenant', path: `/api/mo/${tenant}.json`, query: { 'rsp-subtree': 'full', 'rsp-prop-include': 'config-only' } },
    { name: 'fabric-bgp', path: '/api/mo/uni/fabric/bgpInstP-default.json', query: { 'rsp-subtree': 'full' } },
    { name: 'ext-epgs', path: '/api/class/l3extInstP.json' },
    { name: 'esg-scopes', path: '/api/class/fvRsScope.json' },
    { name: 'esgs', path: '/api/class/fvESg.json' },
    { name: 'ip-selectors', path: '/api/class/fvEPSelector.json' },
    { name: 'l3out-vrfs', path: '/api/class/l3extRsEctx.json' },
    { name: 'router-ids', path: '/api/class/l3extRsNodeL3OutAtt.json' },
    { name: 'bd-vrfs', path: '/api/class/fvRsCtx.json', query: inTenant('fvRsCtx') },
    { name: 'bd-subnets', path: '/api/class/fvSubnet.json', query: inTenant('fvSubnet') },
    { name: 'ext-subnets', path: '/api/class/l3extSubnet.json', query: inTenant('l3extSubnet') },
    { name: 'bgp-peer-entries', path: '/api/class/bgpPeerEntry.json' },
    { name: 'policy-cam', path: '/api/class/eqptcapacityPolUsage5min.json' },
    {
      name: 'endpoints', path: '/api/class/fvCEp.json',
      query: { 'rsp-subtree': 'children', 'rsp-subtree-class': 'fvRsCEpToPathEp,fvIp', ...endpointFilter },
    },
    { name: 'phys-domain', path: `/api/mo/${physDomainDn(spec.aci.physDomain)}.json`, query: { 'rsp-subtree': 'full' } },
    { name: 'vlan-pools', path: '/api/class/fvnsVlanInstP.json', query: { 'rsp-subtree': 'children' } },
    {
      name: 'capacity-rules', path: '/api/mo/uni/fabric/compcat-default/fvsw-default/capabilities.json',
      query: { 'query-target': 'children', 'target-subtree-class': 'fvcapRule' },
    },
  ];
}
