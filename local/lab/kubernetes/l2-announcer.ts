import { arrayAt, isObject, labelsOf, objectAt, stringAt, type JsonObject } from './json.js';
import type { LabStore } from './lab-store.js';
import { matchesLabelSelector } from './label-selector.js';

// The agents' L2 announcer (cilium pkg/l2announcer): for every service a
// CiliumL2AnnouncementPolicy selects and that has an IP to announce, the agents on the nodes the
// policy allows run a leader election over the Lease `cilium-l2announce-<ns>-<svc>` in Cilium's
// namespace (coordination.k8s.io/v1); the winner answers ARP for the service's IPs. The lab's
// winner is the first allowed node by name. The fault `l2.lease=never` (kubernetes lab book)
// keeps every agent out of the election, so no Lease is ever taken.

const manager = 'cilium-agent';
const ciliumNamespace = 'kube-system';
export const l2LeasePrefix = 'cilium-l2announce-';
const ciliumLbClass = 'io.cilium/l2-announcer';

export interface L2Announcement {
  lease: string;
  namespace: string;
  service: string;
  holder: string;
  /** The holder's InternalIP: its endpoint is where the fabric learns the announced IPs. */
  holderIp?: string;
  ips: string[];
}

/** Who announces what, from the policies, services, nodes and cilium-config in the store. */
export function l2Announcements(store: LabStore): L2Announcement[] {
  const config = objectAt(store.get('v1', 'ConfigMap', 'cilium-config', ciliumNamespace), 'data') ?? {};
  const api = store.storageVersionOf('CiliumL2AnnouncementPolicy');
  if (config['enable-l2-announcements'] !== 'true' || !api) return [];
  const nodes = store.peek('v1', 'Node').map((n) => ({
    name: stringAt(n['metadata'], 'name') ?? '',
    labels: labelsOf(n),
    ip: stringAt(arrayAt(objectAt(n, 'status'), 'addresses').find((a) => stringAt(a, 'type') === 'InternalIP'), 'address'),
  })).sort((a, b) => a.name.localeCompare(b.name));
  const byLease = new Map<string, L2Announcement>();
  for (const policy of store.list(api, 'CiliumL2AnnouncementPolicy')) {
    const spec = objectAt(policy, 'spec') ?? {};
    const node = nodes.find((n) => matchesLabelSelector(objectAt(spec, 'nodeSelector'), n.labels));
    if (!node) continue;
    for (const svc of store.list('v1', 'Service')) {
      const meta = objectAt(svc, 'metadata') ?? {};
      const namespace = stringAt(meta, 'namespace') ?? 'default';
      const service = stringAt(meta, 'name') ?? '';
      const labels = { ...labelsOf(svc), 'io.kubernetes.service.namespace': namespace, 'io.kubernetes.service.name': service };
      if (!matchesLabelSelector(objectAt(spec, 'serviceSelector'), labels)) continue;
      const cls = stringAt(svc['spec'], 'loadBalancerClass');
      if (cls !== undefined && cls !== ciliumLbClass) continue;
      const ips = announcedIps(svc, spec['loadBalancerIPs'] === true, spec['externalIPs'] === true);
      if (ips.length === 0) continue;
      const lease = `${l2LeasePrefix}${namespace}-${service}`;
      const known = byLease.get(lease);
      // Two policies selecting one service share its lease (one election per service).
      if (known) known.ips = [...new Set([...known.ips, ...ips])].sort();
      else byLease.set(lease, { lease, namespace, service, holder: node.name, ...(node.ip ? { holderIp: node.ip } : {}), ips });
    }
  }
  return [...byLease.values()].sort((a, b) => a.lease.localeCompare(b.lease));
}

function announcedIps(svc: JsonObject, loadBalancerIPs: boolean, externalIPs: boolean): string[] {
  const out: string[] = [];
  if (loadBalancerIPs && stringAt(svc['spec'], 'type') === 'LoadBalancer') {
    for (const ingress of arrayAt(objectAt(objectAt(svc, 'status'), 'loadBalancer'), 'ingress')) {
      const ip = stringAt(ingress, 'ip');
      if (ip) out.push(ip);
    }
  }
  if (externalIPs) for (const ip of arrayAt(objectAt(svc, 'spec'), 'externalIPs')) if (typeof ip === 'string') out.push(ip);
  return out;
}

export class L2Announcer {
  constructor(
    private readonly store: LabStore,
    private readonly now: () => Date,
    private readonly neverLease: () => boolean,
  ) {}

  /** The announcements whose lease is held as planned: what the agents answer ARP for. */
  held(): L2Announcement[] {
    return l2Announcements(this.store).filter((a) => stringAt(objectAt(this.store.get('coordination.k8s.io/v1', 'Lease', a.lease, ciliumNamespace), 'spec'), 'holderIdentity') === a.holder);
  }

  reconcile(): void {
    const wanted = this.neverLease() ? [] : l2Announcements(this.store);
    const names = new Set(wanted.map((a) => a.lease));
    for (const lease of this.store.list('coordination.k8s.io/v1', 'Lease', { namespace: ciliumNamespace })) {
      const name = stringAt(lease['metadata'], 'name') ?? '';
      // A real agent releases its lease when the service leaves the policy and the object lingers;
      // the lab removes it, so a rolled-back change leaves the cluster as it found it.
      if (name.startsWith(l2LeasePrefix) && !names.has(name)) this.store.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name, namespace: ciliumNamespace });
    }
    for (const a of wanted) this.hold(a);
  }

  private hold(a: L2Announcement): void {
    const current = this.store.get('coordination.k8s.io/v1', 'Lease', a.lease, ciliumNamespace);
    const spec = objectAt(current, 'spec');
    if (isObject(spec) && stringAt(spec, 'holderIdentity') === a.holder) return;
    const at = this.now().toISOString().replace(/Z$/, '000Z');
    const transitions = typeof spec?.['leaseTransitions'] === 'number' ? spec['leaseTransitions'] + 1 : 0;
    this.store.apply(manager, {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: a.lease, namespace: ciliumNamespace },
      spec: { holderIdentity: a.holder, leaseDurationSeconds: 15, acquireTime: at, renewTime: at, leaseTransitions: transitions },
    });
  }
}
