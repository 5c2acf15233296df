import * as z from 'zod';
import { LabelSelector } from '../../../shared/cilium/label-selector.js';
import type { ClusterSnapshot, Rollout } from './cluster-snapshot.js';

// Kubernetes objects (as the API or the lab store returns them) → ClusterSnapshot. Every object is
// parsed leniently: something the world cannot read is left out rather than failing the lab.

const Meta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  generation: z.number().optional(),
});
const Obj = <T extends z.ZodType>(spec: T) => z.looseObject({ metadata: Meta, spec: spec.optional() });
const Conditions = z.array(z.looseObject({ type: z.string(), status: z.string() })).optional();

const NodeObj = z.looseObject({
  metadata: Meta,
  spec: z.looseObject({ podCIDR: z.string().optional() }).optional(),
  status: z.looseObject({ addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).optional(), conditions: Conditions }).optional(),
});
const ClusterConfigObj = Obj(z.looseObject({
  nodeSelector: LabelSelector.nullish(),
  bgpInstances: z.array(z.looseObject({
    name: z.string(),
    localASN: z.number().optional(),
    peers: z.array(z.looseObject({
      name: z.string(), peerAddress: z.string().optional(), peerASN: z.number().optional(),
      peerConfigRef: z.looseObject({ name: z.string() }).optional(),
    })).optional(),
  })).optional(),
}));
const PeerConfigObj = Obj(z.looseObject({
  transport: z.looseObject({ peerPort: z.number().optional() }).optional(),
  timers: z.looseObject({ holdTimeSeconds: z.number().optional(), keepAliveTimeSeconds: z.number().optional(), connectRetryTimeSeconds: z.number().optional() }).optional(),
  ebgpMultihop: z.number().optional(),
  gracefulRestart: z.looseObject({ enabled: z.boolean(), restartTimeSeconds: z.number().optional() }).optional(),
  authSecretRef: z.string().optional(),
  families: z.array(z.looseObject({ afi: z.string(), safi: z.string(), advertisements: LabelSelector.optional() })).optional(),
}));
const AdvertisementObj = Obj(z.looseObject({
  advertisements: z.array(z.looseObject({
    advertisementType: z.string(),
    service: z.looseObject({ addresses: z.array(z.string()).optional() }).optional(),
    selector: LabelSelector.optional(),
  })).optional(),
}));
const PoolObj = z.looseObject({
  metadata: Meta,
  spec: z.looseObject({
    blocks: z.array(z.looseObject({ cidr: z.string().optional(), start: z.string().optional(), stop: z.string().optional() })).optional(),
    serviceSelector: LabelSelector.nullish(),
    disabled: z.boolean().optional(),
  }).optional(),
  status: z.looseObject({ conditions: Conditions }).optional(),
});
const ServiceObj = z.looseObject({
  metadata: Meta,
  spec: z.looseObject({ type: z.string().optional(), ports: z.array(z.looseObject({ port: z.number() })).optional() }).optional(),
  status: z.looseObject({ loadBalancer: z.looseObject({ ingress: z.array(z.looseObject({ ip: z.string().optional() })).optional() }).optional() }).optional(),
});
const GatewaySpec = z.looseObject({ nodeSelector: LabelSelector.optional(), egressIP: z.string().optional(), interface: z.string().optional() });
const EgressObj = Obj(z.looseObject({
  selectors: z.array(z.looseObject({ podSelector: LabelSelector.optional(), namespaceSelector: LabelSelector.optional() })).optional(),
  destinationCIDRs: z.array(z.string()).optional(),
  egressGateway: GatewaySpec.optional(),
  egressGateways: z.array(GatewaySpec).optional(),
}));
const L2Obj = Obj(z.looseObject({
  nodeSelector: LabelSelector.nullish(),
  serviceSelector: LabelSelector.nullish(),
  loadBalancerIPs: z.boolean().optional(),
  externalIPs: z.boolean().optional(),
}));
const ConfigMapObj = z.looseObject({ data: z.record(z.string(), z.string()).optional() });
const WorkloadObj = z.looseObject({
  metadata: Meta,
  spec: z.looseObject({
    replicas: z.number().optional(),
    template: z.looseObject({ spec: z.looseObject({ containers: z.array(z.looseObject({ image: z.string().optional() })).optional() }).optional() }).optional(),
  }).optional(),
  status: z.looseObject({
    desiredNumberScheduled: z.number().optional(), numberReady: z.number().optional(), numberAvailable: z.number().optional(),
    updatedNumberScheduled: z.number().optional(), replicas: z.number().optional(), readyReplicas: z.number().optional(),
    availableReplicas: z.number().optional(), updatedReplicas: z.number().optional(), observedGeneration: z.number().optional(),
  }).optional(),
});
const PodObj = z.looseObject({
  metadata: Meta,
  spec: z.looseObject({ nodeName: z.string().optional() }).optional(),
  status: z.looseObject({ phase: z.string().optional(), podIP: z.string().optional() }).optional(),
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

function each<T extends z.ZodType>(schema: T, items: unknown[]): Array<z.infer<T>> {
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
