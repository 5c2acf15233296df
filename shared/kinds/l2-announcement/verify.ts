import * as z from '../../zod.js';
import type { ChangeSpec } from '../../spec/index.js';
import { objectsOfKind } from '../../cilium/facts/kube-lists.js';
import { selectorMatches } from '../../cilium/label-selector.js';
import type { FabricCheck, ObjectsCheck, VerifyPart } from '../kind.js';
import type { L2Announcement } from './schema.js';

// Verify step for l2Announcement. Cilium's agents elect one announcer per service through the
// Lease `cilium-l2announce-<namespace>-<service>` in Cilium's namespace (pkg/l2announcer; the L2
// announcements guide, "Leases"); the holder answers ARP for the service's IPs, and the fabric
// learns those IPs on the holder node's endpoint (fvCEp → fvIp on the floating-SVI segment).
// So: every service the policy selects and that has an IP to announce has a lease held by a node
// the policy allows, and every announced IP is learned by the fabric behind that node.

const Service = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.optional(z.string()), labels: z.optional(z.record(z.string(), z.string())) }),
  spec: z.optional(z.looseObject({ type: z.optional(z.string()), loadBalancerClass: z.optional(z.string()), externalIPs: z.nullish(z.array(z.string())) })),
  status: z.optional(z.looseObject({ loadBalancer: z.optional(z.looseObject({ ingress: z.nullish(z.array(z.looseObject({ ip: z.optional(z.string()) }))) })) })),
});
const Lease = z.looseObject({ metadata: z.looseObject({ name: z.string() }), spec: z.optional(z.looseObject({ holderIdentity: z.nullish(z.string()) })) });
const Node = z.looseObject({
  metadata: z.looseObject({ name: z.string(), labels: z.optional(z.record(z.string(), z.string())) }),
  status: z.optional(z.looseObject({ addresses: z.optional(z.array(z.looseObject({ type: z.string(), address: z.string() }))) })),
});
const Mo = (cls: string) => z.object({ [cls]: z.object({ attributes: z.looseObject({ dn: z.string(), ip: z.optional(z.string()), addr: z.optional(z.string()) }) }) });

export const l2LeasePrefix = 'cilium-l2announce-';

/** One service a policy announces: its lease, the node holding it and the IPs it answers for. */
export const Announcement = z.object({
  policy: z.string(),
  service: z.string(),
  lease: z.string(),
  ips: z.array(z.string()),
  holder: z.optional(z.string()),
  holderIp: z.optional(z.string()),
});
export type Announcement = z.infer<typeof Announcement>;

export const LeaseVerdict = z.object({
  ok: z.boolean(),
  announcements: z.array(Announcement),
  /** Selected services with no IP to announce yet (no LB IP assigned): nothing to hold. */
  idle: z.array(z.string()),
  problems: z.array(z.string()),
});
export type LeaseVerdict = z.infer<typeof LeaseVerdict>;

function announcedIps(change: L2Announcement, svc: z.infer<typeof Service>): string[] {
  const ips: string[] = [];
  if (change.loadBalancerIPs && svc.spec?.type === 'LoadBalancer') for (const i of svc.status?.loadBalancer?.ingress ?? []) if (i.ip) ips.push(i.ip);
  if (change.externalIPs) ips.push(...(svc.spec?.externalIPs ?? []));
  return ips;
}

export function evaluateLeases(spec: ChangeSpec, leases: unknown[], services: unknown[], nodes: unknown[]): LeaseVerdict {
  const leaseList = objectsOfKind(leases, 'Lease', Lease);
  const nodeList = objectsOfKind(nodes, 'Node', Node);
  const out: LeaseVerdict = { ok: true, announcements: [], idle: [], problems: [] };
  for (const change of spec.changes) {
    if (change.type !== 'l2Announcement' || change.state !== 'present') continue;
    const allowed = new Set(nodeList.filter((n) => selectorMatches({ matchLabels: change.nodeSelector }, n.metadata.labels ?? {})).map((n) => n.metadata.name));
    if (allowed.size === 0) out.problems.push(`${change.name}: no node matches the nodeSelector, so no node can announce`);
    for (const svc of objectsOfKind(services, 'Service', Service)) {
      const ns = svc.metadata.namespace ?? 'default';
      const labels = { ...svc.metadata.labels, 'io.kubernetes.service.namespace': ns, 'io.kubernetes.service.name': svc.metadata.name };
      if (!selectorMatches({ matchLabels: change.serviceSelector }, labels)) continue;
      // Cilium announces only services of its own load-balancer class, or of none.
      const cls = svc.spec?.loadBalancerClass;
      if (cls !== undefined && cls !== 'io.cilium/l2-announcer') continue;
      const name = `${ns}/${svc.metadata.name}`;
      const ips = announcedIps(change, svc);
      if (ips.length === 0) {
        out.idle.push(name);
        continue;
      }
      const leaseName = `${l2LeasePrefix}${ns}-${svc.metadata.name}`;
      const holder = leaseList.find((l) => l.metadata.name === leaseName)?.spec?.holderIdentity ?? undefined;
      const holderIp = nodeList.find((n) => n.metadata.name === holder)?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      out.announcements.push({ policy: change.name, service: name, lease: leaseName, ips, ...(holder ? { holder } : {}), ...(holderIp ? { holderIp } : {}) });
      if (!holder) out.problems.push(`${name}: no node holds the lease ${leaseName} (no agent announces ${ips.join(', ')})`);
      else if (!allowed.has(holder)) out.problems.push(`${name}: the lease ${leaseName} is held by ${holder}, which the nodeSelector of ${change.name} does not allow`);
    }
  }
  out.ok = out.problems.length === 0;
  return out;
}

export const ArpVerdict = z.object({ ok: z.boolean(), learned: z.array(z.string()), problems: z.array(z.string()) });
export type ArpVerdict = z.infer<typeof ArpVerdict>;

/**
 * The fabric side: each announced IP is learned (fvIp) under the endpoint (fvCEp) of the node that
 * holds its lease — the ARP answer reached the leaf from the right node.
 */
export function evaluateArp(leases: LeaseVerdict, endpoints: unknown[], ips: unknown[]): ArpVerdict {
  const ceps = endpoints.flatMap((e) => {
    const p = Mo('fvCEp').safeParse(e);
    return p.success ? [p.data['fvCEp']?.attributes].filter((a) => a !== undefined) : [];
  });
  const learned = ips.flatMap((e) => {
    const p = Mo('fvIp').safeParse(e);
    return p.success ? [p.data['fvIp']?.attributes].filter((a) => a !== undefined) : [];
  });
  const out: ArpVerdict = { ok: true, learned: [], problems: [] };
  for (const a of leases.announcements) {
    if (!a.holder) continue;
    const cep = ceps.find((c) => c.ip === a.holderIp);
    for (const ip of a.ips) {
      const seen = learned.filter((l) => l.addr === ip);
      if (seen.length === 0) out.problems.push(`${ip} (${a.service}) does not answer ARP: the fabric has not learned it`);
      else if (!cep || !seen.some((l) => l.dn.startsWith(`${cep.dn}/`))) {
        out.problems.push(`${ip} (${a.service}) is learned behind ${seen.map((l) => l.dn.replace(/\/ip-\[.*$/, '')).join(', ')}, not behind ${a.holder} (${a.holderIp ?? 'no InternalIP'})`);
      } else out.learned.push(`${ip} on ${a.holder}`);
    }
  }
  out.ok = out.problems.length === 0;
  return out;
}

function describe(v: LeaseVerdict): string {
  const held = v.announcements.map((a) => `${a.service} ${a.ips.join(',')} → ${a.holder ?? '-'}`);
  const idle = v.idle.length > 0 ? [`no IP to announce yet: ${v.idle.join(', ')}`] : [];
  return [...held, ...idle].join('; ') || 'no service matches the serviceSelector';
}

const leaseLists = [
  { group: 'coordination.k8s.io', kind: 'Lease', namespace: 'cilium' },
  { group: 'core', kind: 'Service' },
  { group: 'core', kind: 'Node' },
] as const;

/** Every selected service with an IP holds an L2 lease on an allowed node. */
export const l2LeasesCheck: ObjectsCheck = {
  type: 'objects',
  id: 'l2-leases',
  when: 'present',
  lists: leaseLists,
  // The agents run the election after the policy lands (retry period 2 s, renew deadline 5 s by default).
  settleSeconds: 20,
  evaluate: (spec, [leases = [], services = [], nodes = []]) => {
    const v = evaluateLeases(spec, leases, services, nodes);
    return { ok: v.ok, evidence: v.ok ? describe(v) : v.problems.join('; ') };
  },
};

/** Every announced IP answers ARP: the fabric learned it behind the lease holder. */
export const l2ArpCheck: FabricCheck = {
  type: 'fabric',
  id: 'l2-arp',
  when: 'present',
  lists: leaseLists,
  classes: ['fvCEp', 'fvIp'],
  settleSeconds: 20,
  evaluate: (spec, [leases = [], services = [], nodes = []], [endpoints = [], ips = []]) => {
    const held = evaluateLeases(spec, leases, services, nodes);
    if (!held.ok) return { ok: false, evidence: `no announcer to ask: ${held.problems.join('; ')}` };
    const v = evaluateArp(held, endpoints, ips);
    return { ok: v.ok, evidence: v.ok ? v.learned.join(', ') || 'no IP announced yet' : v.problems.join('; ') };
  },
};

export const l2AnnouncementVerify: VerifyPart = { checks: [l2LeasesCheck, l2ArpCheck] };
