import * as z from '../../../shared/zod.js';
import { LabelSelector } from '../../../shared/cilium/label-selector.js';
import type { ClusterSnapshot, Rollout } from './cluster-snapshot.js';

// Kubernetes objects (as the API or the lab store returns them) → ClusterSnapshot. Every object is
// parsed leniently: something the world cannot read is left out rather than failing the lab.

const Meta = z.looseObject({
  name: z.string(),
  namespace: z.optional(z.string()),
  labels: z.optional(z.record(z.string(), z.string())),
  generation: z.optional(z.number()),
});
const Obj = <T extends z.ZodMiniType>(spec: T) => z.looseObject({ metadata: Meta, spec: z.optional(spec) });
const Conditions = z.optional(z.array(z.looseObject({ type: z.string(), status: z.string() })));

const NodeObj = z.looseObject({
  metadata: Meta,
  spec: z.optional(z.looseObject({ podCIDR: z.optional(z.string()) })),
  status: z.optional(z.looseObject({ addresses: z.optional(z.array(z.looseObject({ type: z.string(), address: z.string() }))), conditions: Conditions })),
});
const ClusterConfigObj = Obj(z.looseObject({
  nodeSelector: z.nullish(LabelSelector),
  bgpInstances: z.optional(z.array(z.looseObject({
    name: z.string(),
    localASN: z.optional(z.number()),
    peers: z.optional(z.array(z.looseObject({
      name: z.string(), peerAddress: z.optional(z.string()), peerASN: z.optional(z.number()),
      peerConfigRef: z.optional(z.looseObject({ name: z.string() })),
    }))),
  }))),
}));
const PeerConfigObj = Obj(z.looseObject({
  transport: z.optional(z.looseObject({ peerPort: z.optional(z.number()) })),
  timers: z.optional(z.looseObject({ holdTimeSeconds: z.optional(z.number()), keepAliveTimeSeconds: z.optional(z.number()), connectRetryTimeSeconds: z.optional(z.number()) })),
  ebgpMultihop: z.optional(z.number()),
  gracefulRestart: z.optional(z.looseObject({ enabled: z.boolean(), restartTimeSeconds: z.optional(z.number()) })),
  authSecretRef: z.optional(z.string()),
  families: z.optional(z.array(z.looseObject({ afi: z.string(), safi: z.string(), advertisements: z.optional(LabelSelector) }))),
}));
const AdvertisementObj = Obj(z.looseObject({
  advertisements: z.optional(z.array(z.looseObject({
    advertisementType: z.string(),
    service: z.optional(z.looseObject({ addresses: z.optional(z.array(z.string())) })),
    selector: z.optional(LabelSelector),
  }))),
}));
const PoolObj = z.looseObject({
  metadata: Meta,
  spec: z.optional(z.looseObject({
    blocks: z.optional(z.array(z.looseObject({ cidr: z.optional(z.string()), start: z.optional(z.string()), stop: z.optional(z.string()) }))),
    serviceSelector: z.nullish(LabelSelector),
    disabled: z.optional(z.boolean()),
  })),
  status: z.optional(z.looseObject({ conditions: Conditions })),
});
const ServiceObj = z.looseObject({
  metadata: Meta,
  spec: z.optional(z.looseObject({ type: z.optional(z.string()), ports: z.optional(z.array(z.looseObject({ port: z.number() }))) })),
  status: z.optional(z.looseObject({ loadBalancer: z.optional(z.looseObject({ ingress: z.optional(z.array(z.looseObject({ ip: z.optional(z.string()) }))) })) })),
});
const GatewaySpec = z.looseObject({ nodeSelector: z.optional(LabelSelector), egressIP: z.optional(z.string()), interface: z.optional(z.string()) });
const EgressObj = Obj(z.looseObject({
  selectors: z.optional(z.array(z.looseObject({ podSelector: z.optional(LabelSelector), namespaceSelector: z.optional(LabelSelector) }))),
  destinationCIDRs: z.optional(z.array(z.string())),
  egressGateway: z.optional(GatewaySpec),
  egressGateways: z.optional(z.array(GatewaySpec)),
}));
const L2Obj = Obj(z.looseObject({
  nodeSelector: z.nullish(LabelSelector),
  serviceSelector: z.nullish(LabelSelector),
  loadBalancerIPs: z.optional(z.boolean()),
  externalIPs: z.optional(z.boolean()),
}));
const ConfigMapObj = z.looseObject({ data: z.optional(z.record(z.string(), z.string())) });
const WorkloadObj = z.looseObject({
  metadata: Meta,
  spec: z.optional(z.looseObject({
    replicas: z.optional(z.number()),
    template: z.optional(z.looseObject({ spec: z.optional(z.looseObject({ containers: z.optional(z.array(z.looseObject({ image: z.optional(z.string()) }))) })) })),
  })),
  status: z.optional(z.looseObject({
    desiredNumberScheduled: z.optional(z.number()), numberReady: z.optional(z.number()), numberAvailable: z.optional(z.number()),
    updatedNumberScheduled: z.optional(z.number()), replicas: z.optional(z.number()), readyReplicas: z.optional(z.number()),
    availableReplicas: z.optional(z.number()), updatedReplicas: z.optional(z.number()), observedGeneration: z.optional(z.number()),
  })),
});
const PodObj = z.looseObject({
  metadata: Meta,
  spec: z.optional(z.looseObject({ nodeName: z.optional(z.string()) })),
  status: z.optional(z.looseObject({ phase: z.optional(z.string()), podIP: z.optional(z.string()) })),
});

export interface ClusterObjects {
  clusterName: string;
  nodes: unknown[];
  clusterConfigs: unknown[];
  peerConfigs: unknown[];
  advertisements: unknown[];
  pools: unknown[];
  services: unknown[];
  egressPolicies: unknown[];
  l2Policies: unknown[];
  ciliumConfig?: unknown;
  agents?: unknown;
  operator?: unknown;
  agentPods: unknown[];
  pendingConfigKeys?: string[];
}

function each<T extends z.ZodMiniType>(schema: T, items: unknown[]): Array<z.infer<T>> {
  const out: Array<z.infer<T>> = [];
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function rollout(value: unknown, kind: 'DaemonSet' | 'Deployment'): Rollout | undefined {
  const parsed = WorkloadObj.safeParse(value);
  if (!parsed.success) return undefined;
  const { metadata, spec, status } = parsed.data;
  const ds = kind === 'DaemonSet';
  const desired = (ds ? status?.desiredNumberScheduled : spec?.replicas) ?? 0;
  return {
    desired,
    ready: (ds ? status?.numberReady : status?.readyReplicas) ?? 0,
    available: (ds ? status?.numberAvailable : status?.availableReplicas) ?? 0,
    updated: (ds ? status?.updatedNumberScheduled : status?.updatedReplicas) ?? 0,
    generation: metadata.generation ?? 1,
    observedGeneration: status?.observedGeneration ?? 0,
    image: spec?.template?.spec?.containers?.[0]?.image,
  };
}

export function clusterSnapshot(o: ClusterObjects): ClusterSnapshot {
  const selector = (s: LabelSelector | null | undefined): LabelSelector | undefined => s ?? undefined;
  return {
    clusterName: o.clusterName,
    nodes: each(NodeObj, o.nodes).map((n) => ({
      name: n.metadata.name,
      ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
      labels: n.metadata.labels ?? {},
      ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      podCidr: n.spec?.podCIDR,
    })),
    clusterConfigs: each(ClusterConfigObj, o.clusterConfigs).map((c) => ({
      name: c.metadata.name,
      nodeSelector: selector(c.spec?.nodeSelector),
      instances: (c.spec?.bgpInstances ?? []).map((i) => ({
        name: i.name,
        localASN: i.localASN,
        peers: (i.peers ?? []).map((p) => ({ name: p.name, peerAddress: p.peerAddress, peerASN: p.peerASN, peerConfigRef: p.peerConfigRef?.name })),
      })),
    })),
    peerConfigs: each(PeerConfigObj, o.peerConfigs).map((p) => ({
      name: p.metadata.name,
      // Empty families mean ipv4 and ipv6 unicast with no advertisements.
      families: p.spec?.families?.length ? p.spec.families : [{ afi: 'ipv4', safi: 'unicast' }, { afi: 'ipv6', safi: 'unicast' }],
      holdTimeSeconds: p.spec?.timers?.holdTimeSeconds ?? 90,
      keepAliveTimeSeconds: p.spec?.timers?.keepAliveTimeSeconds ?? 30,
      connectRetryTimeSeconds: p.spec?.timers?.connectRetryTimeSeconds ?? 120,
      ebgpMultihop: p.spec?.ebgpMultihop ?? 1,
      gracefulRestart: p.spec?.gracefulRestart ? { enabled: p.spec.gracefulRestart.enabled, restartTimeSeconds: p.spec.gracefulRestart.restartTimeSeconds ?? 120 } : undefined,
      peerPort: p.spec?.transport?.peerPort ?? 179,
      authSecretRef: p.spec?.authSecretRef,
    })),
    advertisements: each(AdvertisementObj, o.advertisements).map((a) => ({
      name: a.metadata.name,
      labels: a.metadata.labels ?? {},
      entries: (a.spec?.advertisements ?? []).map((e) => ({ type: e.advertisementType, addresses: e.service?.addresses ?? [], selector: e.selector })),
    })),
    pools: each(PoolObj, o.pools).map((p) => ({
      name: p.metadata.name,
      labels: p.metadata.labels ?? {},
      blocks: p.spec?.blocks ?? [],
      serviceSelector: selector(p.spec?.serviceSelector),
      disabled: p.spec?.disabled ?? false,
      conflict: p.status?.conditions?.some((c) => c.type === 'cilium.io/PoolConflict' && c.status === 'True') ?? false,
    })),
    services: each(ServiceObj, o.services).map((s) => ({
      namespace: s.metadata.namespace ?? 'default',
      name: s.metadata.name,
      labels: s.metadata.labels ?? {},
      type: s.spec?.type ?? 'ClusterIP',
      lbIps: (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => ip !== undefined),
      port: s.spec?.ports?.[0]?.port,
    })),
    egressPolicies: each(EgressObj, o.egressPolicies).map((e) => {
      const gateways = e.spec?.egressGateways?.length ? e.spec.egressGateways : e.spec?.egressGateway ? [e.spec.egressGateway] : [];
      const first = e.spec?.selectors?.[0];
      const podLabels = { ...(first?.podSelector?.matchLabels ?? {}) };
      const namespace = podLabels['io.kubernetes.pod.namespace'] ?? first?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
      delete podLabels['io.kubernetes.pod.namespace'];
      return {
        name: e.metadata.name,
        egressIp: gateways[0]?.egressIP || undefined,
        interface: gateways[0]?.interface || undefined,
        gatewaySelectors: gateways.map((g) => g.nodeSelector ?? {}),
        destinationCidrs: e.spec?.destinationCIDRs ?? [],
        namespace,
        podLabels,
      };
    }),
    l2Policies: each(L2Obj, o.l2Policies).map((l) => ({
      name: l.metadata.name,
      nodeSelector: selector(l.spec?.nodeSelector),
      serviceSelector: selector(l.spec?.serviceSelector),
      loadBalancerIPs: l.spec?.loadBalancerIPs ?? false,
      externalIPs: l.spec?.externalIPs ?? false,
    })),
    config: ConfigMapObj.safeParse(o.ciliumConfig).data?.data ?? {},
    agents: rollout(o.agents, 'DaemonSet'),
    operator: rollout(o.operator, 'Deployment'),
    agentPods: each(PodObj, o.agentPods).map((p) => ({
      name: p.metadata.name,
      node: p.spec?.nodeName ?? '',
      ip: p.status?.podIP,
      running: p.status?.phase === 'Running',
    })),
    pendingConfigKeys: o.pendingConfigKeys ?? [],
  };
}
