// The prose of docs/changespec.md: what each field means to a network engineer, keyed by
// `<section>:<path>`, and the rules zod's JSON Schema cannot show. Types, bounds, patterns and
// defaults come from the schemas themselves (reference-doc.ts); a test fails when a field has
// no note here or a note names a field that no longer exists.

const typeNote = 'Selects the change type; the other fields depend on it.';
const stateNote = '`present` creates or updates what this change describes; `absent` removes what the same change created.';
const labelsNote = 'Kubernetes matchLabels (key → value); YAML scalars such as `true` or `3` are taken as strings.';

export const fieldNotes: Readonly<Record<string, string>> = {
  'ChangeSpec:apiVersion': 'Schema version of the document.',
  'ChangeSpec:kind': 'Document kind.',
  'ChangeSpec:target': 'Where the change goes.',
  'ChangeSpec:target.site': 'Which bastion agent (Step Functions Activity) reaches this fabric and cluster.',
  'ChangeSpec:target.fabric': 'APIC connection name known to the agent.',
  'ChangeSpec:target.cluster': 'kube context name known to the agent.',
  'ChangeSpec:aci': 'The ACI objects the cluster attaches to; they must already exist.',
  'ChangeSpec:aci.tenant': 'Tenant that holds the VRF and the L3Out.',
  'ChangeSpec:aci.vrf': 'VRF of the L3Out.',
  'ChangeSpec:aci.l3out': 'L3Out that carries the floating SVI and the BGP peers.',
  'ChangeSpec:aci.physDomain': 'Physical domain of the floating SVI.',
  'ChangeSpec:aci.fabricAsn': "The fabric's BGP AS number.",
  'ChangeSpec:changes': 'One or more changes, applied in order and rolled back in reverse.',
  'ChangeSpec:verify': 'How the change is proven to work after it is applied.',
  'ChangeSpec:verify.connectivityTest': '`cilium connectivity test` run after apply; inconclusive counts as failure.',
  'ChangeSpec:verify.connectivityTest.enabled': 'Run the connectivity test.',
  'ChangeSpec:verify.connectivityTest.tests': 'Test name filters passed to `--test`; empty runs the full suite.',
  'ChangeSpec:verify.connectivityTest.timeoutSeconds': 'Give up (and roll back) after this long.',
  'ChangeSpec:verify.bgpEstablishedTimeoutSeconds': 'How long BGP sessions may take to reach Established on both sides.',
  'ChangeSpec:mode': '`apply` makes the change; `plan-only` stops after prechecks and the plan.',

  'bgpPeering:type': typeNote,
  'bgpPeering:state': stateNote,
  'bgpPeering:clusterAsn': "The cluster's BGP AS number (Cilium BGP control plane).",
  'bgpPeering:peeringSubnet': 'Network prefix of the floating SVI; configured on the anchors as the dynamic-neighbor prefix.',
  'bgpPeering:vlan': 'Encapsulation of the floating SVI (`vlan-N`).',
  'bgpPeering:floatingIp': 'Shared floating IP with its mask, e.g. `192.168.2.254/24`.',
  'bgpPeering:anchors': 'Anchor leaves of the floating SVI (1–6).',
  'bgpPeering:anchors[].nodeId': 'Leaf node id.',
  'bgpPeering:anchors[].pod': 'Pod of the leaf.',
  'bgpPeering:anchors[].routerId': "The leaf's router id in this VRF; a leaf in two L3Outs of one VRF must use the same one.",
  'bgpPeering:anchors[].address': "The anchor's primary IP on the floating SVI, with its mask.",
  'bgpPeering:nodeSelector': `Cluster nodes that peer with the anchors. ${labelsNote}`,
  'bgpPeering:bfd': 'Enable BFD on the peers.',
  'bgpPeering:gracefulRestart': 'Enable BGP graceful restart on the cluster side.',
  'bgpPeering:timers': 'BGP timers of the cluster-side peers.',
  'bgpPeering:timers.holdTimeSeconds': 'Hold time.',
  'bgpPeering:timers.keepAliveTimeSeconds': 'Keepalive interval; not above the hold time.',
  'bgpPeering:timers.connectRetryTimeSeconds': 'Connect retry interval.',

  'loadBalancerPool:type': typeNote,
  'loadBalancerPool:state': stateNote,
  'loadBalancerPool:name': 'Name of the CiliumLoadBalancerIPPool.',
  'loadBalancerPool:blocks': 'Network prefixes the pool hands out; each also becomes an external EPG subnet on ACI.',
  'loadBalancerPool:serviceSelector': `Services that draw from this pool. ${labelsNote}`,
  'loadBalancerPool:externalEpg': 'External EPG of the L3Out that receives the blocks as subnets.',
  'loadBalancerPool:allowFirstLastIPs': 'Let LB-IPAM hand out the first and last address of each block.',

  'egressGateway:type': typeNote,
  'egressGateway:state': stateNote,
  'egressGateway:name': 'Name of the CiliumEgressGatewayPolicy.',
  'egressGateway:namespace': 'Namespace of the selected pods.',
  'egressGateway:podSelector': `Pods whose traffic leaves through the gateway. ${labelsNote}`,
  'egressGateway:destinationCidrs': 'Destinations that go through the gateway.',
  'egressGateway:excludedCidrs': 'Parts of the destinations that do not.',
  'egressGateway:egressIp': 'Source IP the gateway uses; classified on ACI by an ESG IP selector (`/32`).',
  'egressGateway:gatewayNodeSelector': `Nodes that may act as the gateway. ${labelsNote}`,
  'egressGateway:esg': 'The endpoint security group that classifies the egress IP.',
  'egressGateway:esg.applicationProfile': 'Application profile of the ESG.',
  'egressGateway:esg.name': 'ESG name.',

  'l2Announcement:type': typeNote,
  'l2Announcement:state': stateNote,
  'l2Announcement:name': 'Name of the CiliumL2AnnouncementPolicy.',
  'l2Announcement:serviceSelector': `Services whose IPs are announced. ${labelsNote}`,
  'l2Announcement:nodeSelector': `Nodes that may answer ARP/NDP for them. ${labelsNote}`,
  'l2Announcement:interfaces': 'Regular expressions of node interfaces to announce on; empty means all.',
  'l2Announcement:loadBalancerIPs': 'Announce LoadBalancer IPs.',
  'l2Announcement:externalIPs': 'Announce external IPs.',

  'ciliumConfig:type': typeNote,
  'ciliumConfig:state': 'Always `present`: to undo a setting, set its previous value.',
  'ciliumConfig:settings': 'cilium-config keys and values, from the allowlist below.',
  'ciliumConfig:restart': '`rolling` restarts the agents (and the operator where the key needs it) one node at a time.',

  'ChangeRequest:source': 'Who started the change.',
  'ChangeRequest:ticket': 'The ticket the change belongs to.',
  'ChangeRequest:ticket.system': '`none` for a manual start without a ticket (recorded as such).',
  'ChangeRequest:ticket.key': 'ServiceNow `sys_id` or Jira issue key.',
  'ChangeRequest:ticket.number': 'Human ticket number, e.g. `CHG0030001`.',
  'ChangeRequest:ticket.revision': 'Ticket revision (ServiceNow `sys_mod_count`) the change was approved at.',
  'ChangeRequest:requestedBy': 'Person or system that asked for the change.',
  'ChangeRequest:window': 'Change window; apply is refused outside it.',
  'ChangeRequest:window.start': 'Start of the window, with offset (`2026-11-22T08:00:00Z`).',
  'ChangeRequest:window.end': 'End of the window.',
  'ChangeRequest:spec': 'The ChangeSpec, as an object or as its YAML/JSON text.',
};

/** Rules that span fields or need address arithmetic, per section. */
export const sectionRules: Readonly<Record<string, readonly string[]>> = {
  ChangeSpec: [
    'Unknown fields are refused everywhere, so a misspelt field is an error rather than a silent default.',
    'At most one `bgpPeering` and one `ciliumConfig` change per spec.',
    'Names are unique per change type.',
    'Load-balancer pool blocks must not overlap, within a pool or across pools.',
    'Label keys are Kubernetes keys (`[prefix/]name`, name ≤ 63 characters); values ≤ 63 characters, starting and ending with a letter or digit.',
  ],
  bgpPeering: [
    '`clusterAsn` differs from `aci.fabricAsn`: the design peers over eBGP.',
    '`peeringSubnet` has no host bits set.',
    '`floatingIp` and every `anchors[].address` lie inside `peeringSubnet` with the same mask, are neither its network nor its broadcast address, and are all different.',
    'Anchor node ids are unique, and so are router ids.',
  ],
  loadBalancerPool: ['Every block is a network prefix without host bits (IPv4 or IPv6).'],
  egressGateway: ['`egressIp` is a bare host address, without a prefix length.', 'Every excluded CIDR lies inside one of the destination CIDRs.'],
  l2Announcement: ['At least one of `loadBalancerIPs` and `externalIPs` is true.', 'Every `interfaces` entry is a valid regular expression.'],
  ciliumConfig: ['Only allowlisted keys, each with an allowed value; refused keys say why.'],
  ChangeRequest: ['`window.end` is after `window.start`.', 'A ServiceNow or Jira ticket needs its `key`.'],
};
