import type { ApicQuery } from '../../agent-protocol/index.js';
import type { ChangeSpec } from '../../spec/index.js';
import { applicationProfileDn, l3outDn, tenantDn } from '../model/dns.js';
import { capacityTotalQuery, exactCountQueries } from './capacity-counts.js';
import { and, ofType, or, q, within } from './query-terms.js';

// The `aci.collect` payload as the agent reads it (issue 20): every query filtered on the APIC to
// what the change touches, and the capacity rules' counts as `rsp-subtree-include=count` answers
// instead of whole class dumps. On a fabric of 200 leaves and 4 000 ESGs this is tens of KB, not
// 17 MB. Filters only ever keep a superset of what a rule reads (a DN or address prefix as a
// substring), never less: the rules then look at exactly what they looked at before.
//   - `tenant`: the change's tenant, whole, except the ESGs of application profiles the spec does
//     not name and the external EPGs of L3Outs other than its own (the bulk of a large tenant);
//   - `fabric-policy`: the fabric-wide classes, each scoped — IP selectors spelling the spec's
//     egress IPs, external-EPG subnets of the tenant inside the spec's prefixes, relations, VRFs
//     and BD subnets of the tenant and of common, domains, VLAN pools, the fabric AS and limits;
//     and, for a peering or an L2 announcement, the learned endpoints (fvCEp) in the peering
//     subnets with their path and IP children (`rsp-subtree=children` limited to those classes,
//     which only an fvCEp has: the other classes come back without children);
//   - `count:…`: one total over the capacity counts the rules read — external EPGs fabric-wide,
//     ESGs of the VRF, IP selectors fabric-wide (capacity-counts.ts: a bound that decides them all
//     on any fabric not near a limit);
//   - then, from those answers (aciFollowUpQueries): `topology` for the controllers and the leaves
//     the change programs (its anchors, else its L3Out's nodes), the VRF of any other ESG that
//     already selects one of the spec's egress IPs, and an exact count for each count the total
//     did not decide.

/** The prefix every address of an IPv4 prefix starts with, whole octets only ("10.0.11." for a /25); undefined for IPv6. */
function octetPrefix(cidr: string): string | undefined {
  const [ip = '', bits = '32'] = cidr.split('/');
  const octets = ip.split('.');
  if (octets.length !== 4) return undefined;
  const whole = Math.min(3, Math.floor(Number(bits) / 8));
  return whole === 0 ? '' : `${octets.slice(0, whole).join('.')}.`;
}

/** The spec's IPv4 prefixes (peering subnets, pool blocks, egress IPs); undefined when one is not IPv4. */
function specPrefixes(spec: ChangeSpec): string[] | undefined {
  const cidrs = [
    ...ofType(spec, 'bgpPeering').map((p) => p.peeringSubnet),
    ...ofType(spec, 'loadBalancerPool').flatMap((p) => p.blocks),
    ...ofType(spec, 'egressGateway').map((e) => `${e.egressIp}/32`),
  ];
  const out = cidrs.map(octetPrefix);
  return out.some((p) => p === undefined || p === '') ? undefined : [...new Set(out as string[])];
}

/** The selector expressions an egress IP may already be spelled as (the expression is the RN). */
export function egressSelectorExpressions(spec: ChangeSpec): string[] {
  return ofType(spec, 'egressGateway').flatMap((e) => [`ip=='${e.egressIp}'`, `ip=='${e.egressIp}/32'`]);
}

function tenantQuery(spec: ChangeSpec): ApicQuery {
  const tenant = tenantDn(spec.aci.tenant);
  const aps = [...new Set(ofType(spec, 'egressGateway').map((e) => `${applicationProfileDn(spec.aci.tenant, e.esg.applicationProfile)}/`))];
  const ours = `${l3outDn(spec.aci.tenant, spec.aci.l3out)}/`;
  // A term of another class never matches, so not(…) keeps every MO of other classes.
  const drop = (cls: string, keepUnder: readonly string[]): string =>
    `not(${and([within(cls, '/'), ...keepUnder.map((dn) => `not(${within(cls, dn)})`)])})`;
  const filter = and([
    ...['fvESg', 'fvEPSelector', 'fvRsScope'].map((cls) => drop(cls, aps)),
    ...['l3extInstP', 'l3extSubnet'].map((cls) => drop(cls, [ours])),
  ]);
  return {
    name: 'tenant', path: `/api/mo/${tenant}.json`,
    query: { 'rsp-subtree': 'full', 'rsp-prop-include': 'config-only', 'rsp-subtree-filter': filter },
  };
}

function fabricPolicyQuery(spec: ChangeSpec): ApicQuery {
  const homes = [`${tenantDn(spec.aci.tenant)}/`, 'uni/tn-common/'];
  const inHomes = (cls: string): string => or(homes.map((h) => within(cls, h)));
  const prefixes = specPrefixes(spec);
  const subnetTerm = and([
    within('l3extSubnet', `${tenantDn(spec.aci.tenant)}/`),
    ...(prefixes ? [or(prefixes.map((p) => `wcard(l3extSubnet.ip,${q(p)})`))] : []),
  ]);
  const selectors = egressSelectorExpressions(spec).map((e) => `eq(fvEPSelector.matchExpression,${q(e)})`);
  const endpoints = endpointTerm(spec);
  const terms = [
    ...['fvCtx', 'l3extRsEctx', 'l3extRsNodeL3OutAtt', 'fvRsCtx', 'fvRsBd', 'fvSubnet'].map(inHomes),
    subnetTerm,
    ...selectors,
    ...(endpoints ? [endpoints] : []),
    ...['physDomP', 'l3extDomP', 'infraRsVlanNs', 'fvnsVlanInstP', 'fvnsEncapBlk', 'bgpInstPol', 'bgpAsP', 'fvcapRule'].map((cls) => within(cls, 'uni/')),
  ];
  const classes = [
    'fvCtx', 'l3extRsEctx', 'l3extRsNodeL3OutAtt', 'fvRsCtx', 'fvRsBd', 'fvSubnet', 'l3extSubnet', ...(selectors.length > 0 ? ['fvEPSelector'] : []),
    ...(endpoints ? ['fvCEp'] : []),
    'physDomP', 'l3extDomP', 'infraRsVlanNs', 'fvnsVlanInstP', 'fvnsEncapBlk', 'bgpInstPol', 'bgpAsP', 'fvcapRule',
  ];
  return {
    name: 'fabric-policy', path: '/api/mo/uni.json',
    query: {
      'query-target': 'subtree', 'target-subtree-class': classes.join(','), 'query-target-filter': or(terms),
      ...(endpoints ? { 'rsp-subtree': 'children', 'rsp-subtree-class': 'fvRsCEpToPathEp,fvIp' } : {}),
    },
  };
}

/**
 * The learned endpoints a peering or an L2 announcement reads: those in the peering subnets, or
 * every one when a subnet is not a whole-octet IPv4 prefix or an L2 announcement needs them all.
 */
function endpointTerm(spec: ChangeSpec): string | undefined {
  const subnets = ofType(spec, 'bgpPeering').map((p) => octetPrefix(p.peeringSubnet));
  if (subnets.length === 0 && ofType(spec, 'l2Announcement').length === 0) return undefined;
  const known = subnets.every((s) => s !== undefined && s !== '') && ofType(spec, 'l2Announcement').length === 0;
  return known ? or((subnets as string[]).map((s) => `wcard(fvCEp.ip,${q(s)})`)) : within('fvCEp', 'uni/');
}

export function aciCollectQueries(spec: ChangeSpec): ApicQuery[] {
  return [tenantQuery(spec), fabricPolicyQuery(spec), ...capacityTotalQuery(spec)];
}

interface Answer {
  readonly name: string;
  readonly imdata: readonly unknown[];
}

/** DNs of the MOs of one class in some answers (any nesting). */
function dnsOf(answers: readonly Answer[], className: string): string[] {
  const out: string[] = [];
  const walk = (item: unknown): void => {
    if (!item || typeof item !== 'object') return;
    for (const [cls, body] of Object.entries(item as Record<string, unknown>)) {
      if (!body || typeof body !== 'object') continue;
      const { attributes, children } = body as { attributes?: Record<string, unknown>; children?: unknown[] };
      if (cls === className && typeof attributes?.['dn'] === 'string') out.push(attributes['dn']);
      for (const child of children ?? []) walk(child);
    }
  };
  for (const a of answers) for (const item of a.imdata) walk(item);
  return out;
}

/** The queries that depend on the first answers: the leaves the change programs, other ESGs' VRFs. */
export function aciFollowUpQueries(spec: ChangeSpec, answers: readonly Answer[]): ApicQuery[] {
  const anchors = ofType(spec, 'bgpPeering').flatMap((p) => p.anchors.map((a) => ({ pod: a.pod, nodeId: a.nodeId })));
  const ours = `${l3outDn(spec.aci.tenant, spec.aci.l3out)}/`;
  const attached = dnsOf(answers, 'l3extRsNodeL3OutAtt')
    .filter((dn) => dn.startsWith(ours))
    .flatMap((dn) => {
      const m = /rsnodeL3OutAtt-\[topology\/pod-(\d+)\/node-(\d+)\]$/.exec(dn);
      return m ? [{ pod: Number(m[1]), nodeId: Number(m[2]) }] : [];
    });
  const leaves = [...new Map([...anchors, ...attached].map((l) => [`${l.pod}/${l.nodeId}`, l])).values()];
  const leafClasses = ['firmwareRunning', 'bgpPeerEntry', 'eqptcapacityPolUsage5min'];
  // ARP adjacencies place the nodes on anchor and non-anchor leaves alike: every leaf, in the change's tenant:vrf only.
  const arp = within('arpAdjEp', `/dom-${spec.aci.tenant}:${spec.aci.vrf}/`);
  // No leaf known (no peering, no L3Out yet): every leaf, as before.
  const topologyFilter = leaves.length === 0
    ? undefined
    : or([
      `eq(fabricNode.role,${q('controller')})`,
      within('firmwareCtrlrRunning', 'topology/'),
      arp,
      ...leaves.flatMap((l) => [
        `eq(fabricNode.dn,${q(`topology/pod-${l.pod}/node-${l.nodeId}`)})`,
        ...leafClasses.map((cls) => within(cls, `topology/pod-${l.pod}/node-${l.nodeId}/`)),
      ]),
    ]);
  const out: ApicQuery[] = [{
    name: 'topology', path: '/api/mo/topology.json',
    query: {
      'query-target': 'subtree', 'target-subtree-class': ['fabricNode', 'firmwareCtrlrRunning', ...leafClasses, 'arpAdjEp'].join(','),
      ...(topologyFilter ? { 'query-target-filter': topologyFilter } : {}),
    },
  }];
  // An IP selector of the spec's egress IP in an ESG the tenant query did not read: its VRF decides the conflict.
  const read = new Set(dnsOf(answers.filter((a) => a.name === 'tenant'), 'fvESg'));
  const esgs = [...new Set(dnsOf(answers.filter((a) => a.name === 'fabric-policy'), 'fvEPSelector').map((dn) => dn.slice(0, dn.lastIndexOf('/epselector-'))))].filter((esg) => !read.has(esg));
  if (esgs.length > 0) {
    const tenants = [...new Set(esgs.map((esg) => esg.split('/').slice(0, 2).join('/')))];
    out.push({
      name: 'selector-scopes', path: '/api/mo/uni.json',
      query: {
        'query-target': 'subtree', 'target-subtree-class': 'fvRsScope,fvCtx',
        'query-target-filter': or([...esgs.map((esg) => `eq(fvRsScope.dn,${q(`${esg}/rsscope`)})`), ...tenants.map((t) => within('fvCtx', `${t}/`))]),
      },
    });
  }
  out.push(...exactCountQueries(spec, answers));
  return out;
}
