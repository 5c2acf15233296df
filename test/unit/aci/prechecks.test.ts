import { describe, expect, it } from 'vitest';
import { runAciPrechecks, type AciFacts, type AciPrecheckOptions } from '../../../shared/aci/index.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { summarisePrechecks } from '../../../shared/plan/index.js';
import { dc1Facts, dc1Nodes, onboardSpec } from './support/dc1.js';

// The precheck table: each rule passing, failing and unknown, over the captured dc1 fabric
// (APIC 6.1(2f), leaves 16.1(2f), nodes w1–w3 on anchors 101/102, w4 on leaf 103) with one
// fact or spec field changed per row.

type Verdict = 'pass' | 'fail' | 'unknown';
interface Row {
  readonly name: string;
  readonly id: string;
  readonly verdict: Verdict;
  readonly facts?: (f: AciFacts) => void;
  readonly noFacts?: boolean;
  readonly spec?: (s: ChangeSpec) => ChangeSpec;
  readonly opts?: AciPrecheckOptions;
  readonly evidence?: RegExp;
  readonly fix?: RegExp;
}

const nodes = { nodeAddresses: dc1Nodes };
const svi101 = 'uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-101]-[vlan-300]';

function release(apic: string, leaf: string, only?: number[]) {
  return (f: AciFacts) => {
    f.controllers = f.controllers?.map((c) => ({ ...c, version: apic }));
    f.leaves = f.leaves?.map((l) => (only && !only.includes(l.nodeId) ? l : { ...l, version: `n9000-1${leaf}`, peVer: leaf }));
  };
}

function peering(patch: Record<string, unknown>) {
  return (s: ChangeSpec): ChangeSpec => ({ ...s, changes: s.changes.map((c) => (c.type === 'bgpPeering' ? ({ ...c, ...patch } as typeof c) : c)) });
}

function pool(patch: Record<string, unknown>) {
  return (s: ChangeSpec): ChangeSpec => ({ ...s, changes: s.changes.map((c) => (c.type === 'loadBalancerPool' ? ({ ...c, ...patch } as typeof c) : c)) });
}

function egress(patch: Record<string, unknown>) {
  return (s: ChangeSpec): ChangeSpec => ({ ...s, changes: s.changes.map((c) => (c.type === 'egressGateway' ? ({ ...c, ...patch } as typeof c) : c)) });
}

function addMo(dn: string, className: string, attrs: Record<string, string>) {
  return (f: AciFacts) => {
    f.mos[dn] = { className, attrs };
  };
}

/** Another ESG's IP selector, in the spec's VRF unless told otherwise. */
function selector(esg: string, matchExpression: string, vrf = 'uni/tn-k8s-prod-a/ctx-vrf-1') {
  return (f: AciFacts) => {
    f.ipSelectors = [...(f.ipSelectors ?? []), { dn: `${esg}/epselector-[${matchExpression}]`, esg, vrf, matchExpression }];
  };
}

/**
 * Before 6.1(2) with the nodes behind the floating SVI: no fvCEp for them, ARP adjacencies on the
 * leaves they are cabled to (w1, w2 on 101, w3 on 102, w4 on 103), as arpAdjEp reports them.
 */
function behindSvi(f: AciFacts) {
  delete f.endpoints;
  const cabled: Array<[string, number, string]> = [['192.168.2.11', 101, 'eth1/11'], ['192.168.2.12', 101, 'eth1/12'], ['192.168.2.13', 102, 'eth1/11'], ['192.168.2.14', 103, 'eth1/11']];
  f.arpAdjacencies = cabled.map(([ip, nodeId, port]) => ({ nodeId, pod: 1, ip, ifId: 'vlan300', physIfId: port, vrf: 'k8s-prod-a:vrf-1' }));
}

const extEpgs = (dn: string, n: number) => (f: AciFacts) => {
  f.counts.extEpgsPerL3Out = { ...f.counts.extEpgsPerL3Out, [dn]: n };
  f.counts.extEpgsFabric = (f.counts.extEpgsFabric ?? 0) + n;
};

const rows: Row[] = [
  // versions
  { name: 'floating SVI on 6.1(2f)', id: 'aci.version.floating-svi', verdict: 'pass', evidence: /leaf 101 n9000-16.1\(2f\)/ },
  { name: 'floating SVI on a 4.2 APIC', id: 'aci.version.floating-svi', verdict: 'fail', facts: release('4.2(7f)', '4.2(7f)'), evidence: /APIC 1 4\.2\(7f\).*needs 5\.0\(1\)/, fix: /upgrade/ },
  { name: 'floating SVI without versions', id: 'aci.version.floating-svi', verdict: 'unknown', facts: (f) => { delete f.controllers; } },
  { name: 'ignore IGP metric configured on 6.1(2)', id: 'aci.version.nexthop-propagate', verdict: 'pass', evidence: /bgpBestPathCtrlPol changeflow-ignore-igp/ },
  { name: 'next-hop propagate on both floating-SVI peers for the pool', id: 'aci.version.nexthop-propagate', verdict: 'pass', evidence: /all 2 floating-SVI peers carry an import route map setting next-hop unchanged for 10\.0\.10\.0\/24/ },
  {
    name: 'a pool applied before next-hop propagate is missing from the match rule',
    id: 'aci.version.nexthop-propagate', verdict: 'fail',
    facts: addMo('uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.20.0/24]', 'l3extSubnet', { ip: '10.0.20.0/24', name: 'pool-old', annotation: 'orchestrator:changeflow' }),
    evidence: /match rule uni\/tn-k8s-prod-a\/subj-changeflow-lb-pools lacks the LoadBalancer prefixes 10\.0\.20\.0\/24/, fix: /apply each pool's change again/,
  },
  {
    name: 'an import route map of the operator\'s on a peer sets nothing',
    id: 'aci.version.nexthop-propagate', verdict: 'fail',
    facts: addMo(`${svi101}/peerP-[192.168.2.0/24]/rspeerToProfile-[uni/tn-k8s-prod-a/prof-manual]-import`, 'bgpRsPeerToProfile', { tDn: 'uni/tn-k8s-prod-a/prof-manual', direction: 'import' }),
    evidence: /route map uni\/tn-k8s-prod-a\/prof-manual does not exist/,
  },
  { name: 'anchors on different releases', id: 'aci.version.nexthop-propagate', verdict: 'fail', facts: release('6.1(2f)', '6.0(3e)', [102]), evidence: /leaf 102 n9000-16\.0\(3e\) do not/, fix: /upgrade leaf 102/ },
  { name: 'ignore IGP metric not available before 6.1(2)', id: 'aci.version.nexthop-propagate', verdict: 'pass', facts: release('6.0(2h)', '6.0(2h)'), evidence: /not configured; aci\.peering\.anchor-mix decides/ },
  // the pre-6.1(2) peering rule
  { name: 'mixed placement is fine on 6.1(2)', id: 'aci.peering.anchor-mix', verdict: 'pass', opts: nodes },
  { name: 'mixed placement before 6.1(2)', id: 'aci.peering.anchor-mix', verdict: 'fail', facts: release('6.0(2h)', '6.0(2h)'), opts: nodes, evidence: /prod-a-w1 \(192\.168\.2\.11\) on leaf 101.*prod-a-w4 \(192\.168\.2\.14\) on leaf 103 do not/, fix: /nodeSelector/ },
  { name: 'all nodes on anchors before 6.1(2)', id: 'aci.peering.anchor-mix', verdict: 'pass', facts: release('6.0(2h)', '6.0(2h)'), opts: { nodeAddresses: dc1Nodes.slice(0, 3) }, evidence: /directly attached to anchors/ },
  { name: 'all nodes off anchors before 6.1(2)', id: 'aci.peering.anchor-mix', verdict: 'pass', facts: release('6.0(2h)', '6.0(2h)'), opts: { nodeAddresses: dc1Nodes.slice(3) }, evidence: /non-anchor leaves only/ },
  { name: 'a 6.1(2) APIC with 16.0 anchors still refuses the mix', id: 'aci.peering.anchor-mix', verdict: 'fail', facts: release('6.1(2f)', '6.0(3e)'), opts: nodes },
  { name: 'placement unknown without node addresses', id: 'aci.peering.anchor-mix', verdict: 'unknown', facts: release('6.0(2h)', '6.0(2h)'), evidence: /addresses/ },
  { name: 'a node the fabric has not learned', id: 'aci.peering.anchor-mix', verdict: 'unknown', facts: release('6.0(2h)', '6.0(2h)'), opts: { nodeAddresses: [...dc1Nodes.slice(0, 3), { name: 'prod-a-w9', ip: '192.168.2.19' }] }, evidence: /prod-a-w9/ },
  // pre-6.1(2) placement of nodes behind an L3Out SVI: no fvCEp there, ARP adjacencies or declared cabling instead
  { name: 'nodes behind the L3Out SVI placed by the leaves\' ARP adjacencies', id: 'aci.peering.anchor-mix', verdict: 'fail', facts: (f) => { release('6.0(2h)', '6.0(2h)')(f); behindSvi(f); }, opts: nodes,
    evidence: /prod-a-w1 \(192\.168\.2\.11\) on leaf 101 \(ARP\).*sit on anchors; prod-a-w4 \(192\.168\.2\.14\) on leaf 103 \(ARP\) do not/ },
  { name: 'ARP through a tunnel or in another VRF places nobody', id: 'aci.peering.anchor-mix', verdict: 'unknown', opts: { nodeAddresses: dc1Nodes.slice(0, 1) },
    facts: (f) => {
      release('6.0(2h)', '6.0(2h)')(f);
      delete f.endpoints;
      f.arpAdjacencies = [
        { nodeId: 102, pod: 1, ip: '192.168.2.11', ifId: 'vlan12', physIfId: 'tunnel7', vrf: 'k8s-prod-a:vrf-1' },
        { nodeId: 101, pod: 1, ip: '192.168.2.11', ifId: 'vlan40', physIfId: 'eth1/11', vrf: 'other:v' },
      ];
    },
    evidence: /no endpoint \(fvCEp\) and no ARP adjacency on a leaf port for prod-a-w1 \(192\.168\.2\.11\), and the spec declares no cabling/, fix: /bgpPeering\.cabling \(e\.g\. prod-a-w1: \[101\]\)/ },
  { name: 'nodes the fabric does not know placed by the declared cabling', id: 'aci.peering.anchor-mix', verdict: 'pass', opts: { nodeAddresses: dc1Nodes.slice(0, 3) },
    facts: (f) => { release('6.0(2h)', '6.0(2h)')(f); delete f.endpoints; },
    spec: peering({ cabling: { 'prod-a-w1': [101], 'prod-a-w2': [101], 'prod-a-w3': [102, 101] } }),
    evidence: /prod-a-w3 \(192\.168\.2\.13\) on leaf 101\+102 \(declared cabling\)\) — the pre-6\.1\(2\) peering rule holds/ },
  { name: 'the fabric\'s word beats a declaration', id: 'aci.peering.anchor-mix', verdict: 'fail', opts: nodes,
    facts: release('6.0(2h)', '6.0(2h)'), spec: peering({ cabling: { 'prod-a-w4': [101] } }), evidence: /prod-a-w4 \(192\.168\.2\.14\) on leaf 103 do not/ },
  { name: 'no endpoints, no ARP and no cabling', id: 'aci.peering.anchor-mix', verdict: 'unknown', opts: nodes,
    facts: (f) => { release('6.0(2h)', '6.0(2h)')(f); delete f.endpoints; }, evidence: /learned endpoints \(fvCEp\), its ARP adjacencies \(arpAdjEp\) and the spec's cabling missing/, fix: /bgpPeering\.cabling/ },
  // capacity
  { name: 'ext-EPGs per L3Out below 250', id: 'aci.capacity.ext-epgs-per-l3out', verdict: 'pass', evidence: /0 external EPGs; the spec adds 1 \(default_svc\) → 1 of 250/ },
  { name: 'ext-EPGs per L3Out at 250', id: 'aci.capacity.ext-epgs-per-l3out', verdict: 'fail', facts: extEpgs('uni/tn-k8s-prod-a/out-prod-a-l3out', 250), evidence: /→ 251 of 250/ },
  { name: 'ext-EPGs per L3Out without the tenant', id: 'aci.capacity.ext-epgs-per-l3out', verdict: 'unknown', facts: (f) => { f.tenants = []; delete f.mos['uni/tn-k8s-prod-a']; } },
  { name: 'ext-EPGs fabric-wide below 600', id: 'aci.capacity.ext-epgs-fabric', verdict: 'pass', evidence: /2 external EPGs; the spec adds 1 → 3 of 600/ },
  { name: 'ext-EPGs fabric-wide at 600', id: 'aci.capacity.ext-epgs-fabric', verdict: 'fail', facts: (f) => { f.counts.extEpgsFabric = 600; } },
  // A count the APIC gave only in a total with others (atMost) decides a pass, never a fail.
  { name: 'ext-EPGs fabric-wide bounded below 600', id: 'aci.capacity.ext-epgs-fabric', verdict: 'pass',
    facts: (f) => { f.counts.extEpgsFabric = 40; f.counts.atMost = ['extEpgsFabric']; }, evidence: /^the fabric has at most 40 external EPGs; the spec adds 1 → at most 41 of 600$/ },
  { name: 'ext-EPGs fabric-wide bounded at 600', id: 'aci.capacity.ext-epgs-fabric', verdict: 'unknown',
    facts: (f) => { f.counts.extEpgsFabric = 600; f.counts.atMost = ['extEpgsFabric']; }, evidence: /at most 601 of 600; the count is a total over external EPGs, ESGs and IP selectors/, fix: /collect the APIC facts/ },
  { name: 'BGP peers per anchor', id: 'aci.capacity.bgp-peers-per-leaf', verdict: 'pass', opts: nodes, evidence: /leaf 101: 1 peer \+ 4 nodes → 5/ },
  { name: 'BGP peers per anchor over 2000', id: 'aci.capacity.bgp-peers-per-leaf', verdict: 'fail', opts: nodes, facts: (f) => { f.counts.bgpPeersPerLeaf = { 101: 1998 }; }, evidence: /→ 2002/ },
  { name: 'BGP peers without the node count', id: 'aci.capacity.bgp-peers-per-leaf', verdict: 'unknown' },
  { name: 'anchors and non-anchors within the floating L3Out limits', id: 'aci.capacity.anchors', verdict: 'pass', opts: nodes, evidence: /1 non-anchor leaf hosts BGP nodes \(103\)/ },
  { name: 'nodes spread over 33 non-anchor leaves', id: 'aci.capacity.anchors', verdict: 'fail', opts: { nodeAddresses: Array.from({ length: 33 }, (_, i) => ({ name: `n${i}`, ip: `192.168.2.${50 + i}` })) },
    facts: (f) => { f.endpoints = Array.from({ length: 33 }, (_, i) => ({ ip: `192.168.2.${50 + i}`, leafIds: [200 + i] })); }, evidence: /33 non-anchor leaves/ },
  { name: 'ESGs per VRF below 4000', id: 'aci.capacity.esgs-per-vrf', verdict: 'pass', evidence: /0 ESGs; the spec adds 1 → 1 of 4000/ },
  { name: 'ESGs per VRF at 4000', id: 'aci.capacity.esgs-per-vrf', verdict: 'fail', facts: (f) => { f.counts.esgsPerVrf = { 'uni/tn-k8s-prod-a/ctx-vrf-1': 4000 }; } },
  { name: 'ESGs per VRF bounded at 4000', id: 'aci.capacity.esgs-per-vrf', verdict: 'unknown',
    facts: (f) => { f.counts.esgsPerVrf = { 'uni/tn-k8s-prod-a/ctx-vrf-1': 4000 }; f.counts.atMost = ['esgsPerVrf']; }, evidence: /has at most 4000 ESGs; the spec adds 1 → at most 4001 of 4000; the count is a total/ },
  { name: 'IP selectors bounded by the fabric-wide count', id: 'aci.capacity.ip-selectors-per-leaf', verdict: 'pass' },
  { name: 'IP selectors fabric-wide at 5000', id: 'aci.capacity.ip-selectors-per-leaf', verdict: 'unknown', facts: (f) => { f.counts.ipSelectorsFabric = 5000; }, evidence: /per-leaf count cannot be derived/ },
  { name: 'IP selectors bounded by a total', id: 'aci.capacity.ip-selectors-per-leaf', verdict: 'pass',
    facts: (f) => { f.counts.ipSelectorsFabric = 7; f.counts.atMost = ['ipSelectorsFabric']; }, evidence: /^at most 7 IP selectors fabric-wide \+ 1 → at most 8 on any leaf/ },
  { name: 'policy CAM with headroom', id: 'aci.capacity.policy-cam', verdict: 'pass', evidence: /leaf 101 61440\/614400 \(10\.0 %\)/ },
  { name: 'policy CAM above the ceiling on an anchor', id: 'aci.capacity.policy-cam', verdict: 'fail', facts: (f) => { f.policyCam = f.policyCam?.map((c) => (c.nodeId === 102 ? { ...c, used: 560000 } : c)); }, fix: /leaf 102/ },
  { name: 'policy CAM with a stricter headroom', id: 'aci.capacity.policy-cam', verdict: 'fail', opts: { policyCamHeadroomPct: 95 } },
  { name: 'policy CAM not reported', id: 'aci.capacity.policy-cam', verdict: 'unknown', facts: (f) => { delete f.policyCam; } },
  // conflicts
  { name: 'pool block clear of the VRF\'s subnets (0.0.0.0/0 elsewhere is broader)', id: 'aci.conflict.prefix-in-vrf', verdict: 'pass', evidence: /blocks 10\.0\.10\.0\/24 overlap no other subnet/ },
  { name: 'pool block already classified by another ext-EPG', id: 'aci.conflict.prefix-in-vrf', verdict: 'fail',
    facts: (f) => { f.subnets?.push({ ip: '10.0.10.128/25', dn: 'uni/tn-k8s-prod-a/out-core/instP-all-ext/extsubnet-[10.0.10.128/25]', className: 'l3extSubnet', tenant: 'k8s-prod-a', vrf: 'vrf-1', scope: 'import-security' }); },
    evidence: /10\.0\.10\.0\/24 overlaps 10\.0\.10\.128\/25/ },
  { name: 'pool block inside a bridge-domain subnet', id: 'aci.conflict.prefix-in-vrf', verdict: 'fail', spec: pool({ blocks: ['192.168.3.128/25'] }), evidence: /overlaps 192\.168\.3\.1\/24 \(fvSubnet/ },
  { name: 'peering subnet over a bridge-domain subnet', id: 'aci.conflict.prefix-in-vrf', verdict: 'fail',
    spec: peering({ peeringSubnet: '192.168.0.0/16', floatingIp: '192.168.2.254/16', anchors: [{ nodeId: 101, pod: 1, routerId: '1.1.1.101', address: '192.168.2.1/16' }] }), evidence: /peering subnet 192\.168\.0\.0\/16 overlaps bridge-domain subnet/ },
  { name: 'egress IP selected by another ESG of the VRF', id: 'aci.conflict.ip-selector', verdict: 'fail',
    facts: selector('uni/tn-k8s-prod-a/ap-legacy/esg-old', "ip=='192.168.3.200/32'"), evidence: /already selected in VRF vrf-1 by ip=='192\.168\.3\.200\/32' of uni\/tn-k8s-prod-a\/ap-legacy\/esg-old/, fix: /use that ESG/ },
  { name: 'egress IP selected without a prefix length by another ESG (same host, other RN)', id: 'aci.conflict.ip-selector', verdict: 'fail',
    facts: selector('uni/tn-k8s-prod-a/ap-legacy/esg-old', "ip=='192.168.3.200'"), evidence: /by ip=='192\.168\.3\.200' of/ },
  { name: 'egress IP selected by an ESG of another tenant in the same VRF', id: 'aci.conflict.ip-selector', verdict: 'fail',
    facts: selector('uni/tn-shared/ap-a/esg-b', "ip=='192.168.3.200/32'", 'uni/tn-k8s-prod-a/ctx-vrf-1'), evidence: /of uni\/tn-shared\/ap-a\/esg-b/ },
  { name: 'a broader prefix in another ESG loses to the host selector', id: 'aci.conflict.ip-selector', verdict: 'pass',
    facts: selector('uni/tn-k8s-prod-a/ap-legacy/esg-all', "ip=='192.168.3.0/24'"), evidence: /the broader ip=='192\.168\.3\.0\/24' of uni\/tn-k8s-prod-a\/ap-legacy\/esg-all loses/ },
  { name: 'the same host in another VRF', id: 'aci.conflict.ip-selector', verdict: 'pass',
    facts: selector('uni/tn-other/ap-a/esg-b', "ip=='192.168.3.200/32'", 'uni/tn-other/ctx-v'), evidence: /no other ESG of VRF vrf-1 selects 192\.168\.3\.200/ },
  { name: 'selectors not captured', id: 'aci.conflict.ip-selector', verdict: 'unknown', noFacts: true },
  { name: 'egress IP free', id: 'aci.conflict.ip-selector', verdict: 'pass' },
  // egress IP placement (the ESG option: a BD subnet of the VRF, never the peering subnet)
  { name: 'egress IP inside the BD subnet of the VRF', id: 'aci.egress.ip-placement', verdict: 'pass',
    evidence: /egress IP 192\.168\.3\.200 is inside bridge-domain subnet 192\.168\.3\.1\/24 \(uni\/tn-k8s-prod-a\/BD-nodes-bd\/subnet-\[192\.168\.3\.1\/24\]\) of VRF vrf-1, outside the L3Out peering subnet 192\.168\.2\.0\/24/ },
  { name: 'egress IP inside the peering subnet of the spec', id: 'aci.egress.ip-placement', verdict: 'fail', spec: egress({ egressIp: '192.168.2.200' }),
    evidence: /egress IP 192\.168\.2\.200 is inside the L3Out peering subnet 192\.168\.2\.0\/24 of the bgpPeering change .*never classifies it/,
    fix: /pick an egress IP inside a bridge-domain subnet of VRF vrf-1 \(e\.g\. 192\.168\.3\.1\/24 of uni\/tn-k8s-prod-a\/BD-nodes-bd\).*advertise the egress IP over BGP/ },
  { name: 'egress IP on the floating SVI of an existing L3Out of the VRF (no peering change in the spec)', id: 'aci.egress.ip-placement', verdict: 'fail',
    spec: (s) => egress({ egressIp: '192.168.5.20' })({ ...s, changes: s.changes.filter((c) => c.type !== 'bgpPeering') }),
    facts: (f) => {
      f.subnets?.push({ ip: '192.168.5.1/24', dn: 'uni/tn-k8s-prod-a/BD-wide/subnet-[192.168.5.1/24]', className: 'fvSubnet', tenant: 'k8s-prod-a', vrf: 'vrf-1' });
      addMo('uni/tn-k8s-prod-a/out-core/lnodep-border/lifp-svi/vlifp-[topology/pod-1/node-101]-[vlan-320]', 'l3extVirtualLIfP', { addr: '192.168.5.2/24' })(f);
    },
    evidence: /inside the L3Out peering subnet 192\.168\.5\.2\/24 of the floating SVI of L3Out core/ },
  { name: 'egress IP in no BD subnet of the VRF', id: 'aci.egress.ip-placement', verdict: 'fail', spec: egress({ egressIp: '10.99.0.7' }),
    evidence: /egress IP 10\.99\.0\.7 is in no bridge-domain subnet of VRF vrf-1 \(192\.168\.3\.1\/24\)/, fix: /add a subnet covering 10\.99\.0\.7 to a bridge domain of VRF vrf-1/ },
  { name: 'a BD subnet of another VRF does not count', id: 'aci.egress.ip-placement', verdict: 'fail',
    facts: (f) => { f.subnets = f.subnets?.map((s) => (s.className === 'fvSubnet' ? { ...s, vrf: 'vrf-2' } : s)); }, evidence: /the VRF has none/ },
  { name: 'BD subnets not captured', id: 'aci.egress.ip-placement', verdict: 'unknown', facts: (f) => { delete f.subnets; }, evidence: /bridge-domain subnets of VRF vrf-1 are not in the facts/ },
  { name: 'router ids agree with the core L3Out', id: 'aci.conflict.router-id', verdict: 'pass', evidence: /agree with the 2 node attachments/ },
  { name: 'anchor 101 has another router id in the core L3Out', id: 'aci.conflict.router-id', verdict: 'fail',
    facts: (f) => { f.routerIds = f.routerIds?.map((r) => (r.nodeId === 101 ? { ...r, rtrId: '101.0.0.3' } : r)); },
    evidence: /anchor 101 has router id 101\.0\.0\.3 in L3Out core of VRF vrf-1; the spec gives 1\.1\.1\.101 — use 101\.0\.0\.3 or change the other L3Out first/ },
  { name: 'router id taken by another leaf', id: 'aci.conflict.router-id', verdict: 'fail', spec: peering({ anchors: [{ nodeId: 102, pod: 1, routerId: '1.1.1.103', address: '192.168.2.2/24' }] }), evidence: /already leaf 103's/ },
  { name: 'fabric AS matches', id: 'aci.conflict.fabric-asn', verdict: 'pass' },
  { name: 'fabric AS differs', id: 'aci.conflict.fabric-asn', verdict: 'fail', facts: (f) => { f.fabricAsn = 65002; }, fix: /aci\.fabricAsn: 65002/ },
  { name: 'fabric AS not captured', id: 'aci.conflict.fabric-asn', verdict: 'unknown', facts: (f) => { delete f.fabricAsn; } },
  { name: 'existing L3Out in another VRF', id: 'aci.conflict.l3out-vrf', verdict: 'fail',
    facts: (f) => { addMo('uni/tn-k8s-prod-a/out-prod-a-l3out', 'l3extOut', { name: 'prod-a-l3out' })(f); addMo('uni/tn-k8s-prod-a/out-prod-a-l3out/rsectx', 'l3extRsEctx', { tnFvCtxName: 'vrf-2' })(f); },
    evidence: /is in VRF vrf-2/ },
  { name: 'new L3Out', id: 'aci.conflict.l3out-vrf', verdict: 'pass' },
  // domain
  { name: 'physical domain present', id: 'aci.domain.phys-domain-exists', verdict: 'pass' },
  { name: 'physical domain missing', id: 'aci.domain.phys-domain-exists', verdict: 'fail', facts: (f) => { f.physDomains = [{ name: 'other-phys' }]; }, evidence: /found: other-phys/ },
  { name: 'physical domain not captured', id: 'aci.domain.phys-domain-exists', verdict: 'unknown', facts: (f) => { delete f.physDomains; } },
  { name: 'VLAN in the pool', id: 'aci.domain.vlan-in-pool', verdict: 'pass', evidence: /VLAN 300 is in pool/ },
  { name: 'VLAN outside the pool', id: 'aci.domain.vlan-in-pool', verdict: 'fail', spec: peering({ vlan: 500 }), fix: /300–399/ },
  { name: 'domain without a VLAN pool', id: 'aci.domain.vlan-in-pool', verdict: 'fail', facts: (f) => { f.physDomains = [{ name: 'k8s-phys' }]; } },
  { name: 'the L3 domain of aci.l3Domain exists', id: 'aci.domain.l3-domain', verdict: 'pass', evidence: /L3 domain uni\/l3dom-k8s-l3 \(from aci\.l3Domain\) exists/ },
  {
    name: 'no aci.l3Domain and an L3Out still to be created', id: 'aci.domain.l3-domain', verdict: 'fail',
    spec: (s) => ({ ...s, aci: { ...s.aci, l3Domain: undefined } }), evidence: /L3Out prod-a-l3out does not exist yet and the spec gives no aci\.l3Domain/, fix: /set aci\.l3Domain/,
  },
  {
    name: 'no aci.l3Domain but the L3Out has one', id: 'aci.domain.l3-domain', verdict: 'pass',
    spec: (s) => ({ ...s, aci: { ...s.aci, l3Domain: undefined } }),
    facts: (f) => {
      f.mos['uni/tn-k8s-prod-a/out-prod-a-l3out'] = { className: 'l3extOut', attrs: { name: 'prod-a-l3out' } };
      f.mos['uni/tn-k8s-prod-a/out-prod-a-l3out/rsl3DomAtt'] = { className: 'l3extRsL3DomAtt', attrs: { tDn: 'uni/l3dom-k8s-l3' } };
    },
    evidence: /from the L3Out's l3extRsL3DomAtt/,
  },
  { name: 'an L3 domain that does not exist', id: 'aci.domain.l3-domain', verdict: 'fail', spec: (s) => ({ ...s, aci: { ...s.aci, l3Domain: 'nowhere' } }), evidence: /uni\/l3dom-nowhere .* does not exist \(found: k8s-l3\)/ },
  { name: 'L3 domains not captured', id: 'aci.domain.l3-domain', verdict: 'unknown', facts: (f) => { delete f.l3Domains; } },
  { name: 'SVI encap in the L3 domain pool', id: 'aci.domain.l3-vlan-in-pool', verdict: 'pass', evidence: /vlan-300 is in pool/ },
  {
    name: 'SVI encap outside the L3 domain pool', id: 'aci.domain.l3-vlan-in-pool', verdict: 'fail',
    facts: (f) => { f.l3Domains = [{ name: 'k8s-l3', vlanPool: 'uni/infra/vlanns-[wan]-static', vlanRanges: [{ from: 800, to: 899 }] }]; },
    evidence: /vlan-300 is not in pool uni\/infra\/vlanns-\[wan\]-static of L3 domain k8s-l3 \(800–899\)/, fix: /pick a VLAN from 800–899/,
  },
  // no facts at all
  { name: 'every rule without facts', id: 'aci.version.floating-svi', verdict: 'unknown', noFacts: true },
];

function run(row: Row) {
  const facts = structuredClone(dc1Facts());
  row.facts?.(facts);
  const spec = row.spec ? row.spec(onboardSpec()) : onboardSpec();
  return runAciPrechecks(spec, row.noFacts ? undefined : facts, row.opts);
}

describe('runAciPrechecks', () => {
  it.each(rows.map((r) => [`${r.id}: ${r.name} → ${r.verdict}`, r] as const))('%s', (_title, row) => {
    const result = run(row).filter((r) => r.id === row.id);
    expect(result.map((r) => r.verdict)).toContain(row.verdict);
    // A rule may answer once per change (prefix-in-vrf for the peering and for each pool).
    const hit = result.find((r) => r.verdict === row.verdict && (!row.evidence || row.evidence.test(r.evidence)));
    expect(hit, JSON.stringify(result)).toBeDefined();
    if (row.fix) expect(hit?.fix).toMatch(row.fix);
    if (row.verdict !== 'pass') expect(hit?.fix).toBeTruthy();
  });

  it('covers every rule with a passing and a failing row', () => {
    const ids = new Set(rows.map((r) => r.id));
    for (const id of ids) {
      const verdicts = new Set(rows.filter((r) => r.id === id).map((r) => r.verdict));
      expect(verdicts.has('pass') || id === 'aci.capacity.ip-selectors-per-leaf', `${id} passes`).toBe(true);
      expect(verdicts.has('fail') || verdicts.has('unknown'), `${id} fails`).toBe(true);
    }
    expect(ids.size).toBe(20);
  });

  it('passes the dc1 onboarding with node addresses, and answers only unknown without facts', () => {
    expect(summarisePrechecks(runAciPrechecks(onboardSpec(), dc1Facts(), nodes)).verdict).toBe('pass');
    const blind = runAciPrechecks(onboardSpec(), undefined, nodes);
    expect(new Set(blind.map((r) => r.verdict))).toEqual(new Set(['unknown']));
    expect(blind.every((r) => r.scope === 'aci')).toBe(true);
  });

  it('runs only the rules of the change types in the spec', () => {
    const poolOnly: ChangeSpec = { ...onboardSpec(), changes: onboardSpec().changes.filter((c) => c.type === 'loadBalancerPool') };
    expect(runAciPrechecks(poolOnly, dc1Facts()).map((r) => r.id)).toEqual([
      'aci.conflict.l3out-vrf', 'aci.capacity.ext-epgs-per-l3out', 'aci.capacity.ext-epgs-fabric', 'aci.conflict.prefix-in-vrf', 'aci.capacity.policy-cam',
    ]);
    const removal: ChangeSpec = { ...onboardSpec(), changes: onboardSpec().changes.map((c) => ({ ...c, state: 'absent' }) as typeof c) };
    expect(runAciPrechecks(removal, dc1Facts())).toEqual([]);
  });
});
