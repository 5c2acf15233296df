import * as z from '../../../shared/zod.js';
import { LabelSelector } from '../../../shared/cilium/label-selector.js';

// What the world needs to know about the cluster: nodes, the Cilium BGPv2 objects, LB pools and
// the services they feed, egress and L2 policies, cilium-config and the agents' rollout. Built
// from Kubernetes objects (cluster-objects.ts) in the lab process and in the `cilium` executable.

export const ClusterNode = z.object({
  name: z.string(),
  ip: z.optional(z.string()),
  labels: z.record(z.string(), z.string()),
  ready: z.boolean(),
  podCidr: z.optional(z.string()),
});
export type ClusterNode = z.infer<typeof ClusterNode>;

export const BgpPeerSpec = z.object({
  name: z.string(),
  peerAddress: z.optional(z.string()),
  /** 0 or absent: learn the AS from the neighbour's OPEN. */
  peerASN: z.optional(z.int()),
  peerConfigRef: z.optional(z.string()),
});
export type BgpPeerSpec = z.infer<typeof BgpPeerSpec>;

export const BgpInstanceSpec = z.object({
  name: z.string(),
  localASN: z.optional(z.int()),
  peers: z.array(BgpPeerSpec),
});
export type BgpInstanceSpec = z.infer<typeof BgpInstanceSpec>;

export const BgpClusterConfig = z.object({
  name: z.string(),
  /** Absent: every node. */
  nodeSelector: z.optional(LabelSelector),
  instances: z.array(BgpInstanceSpec),
});
export type BgpClusterConfig = z.infer<typeof BgpClusterConfig>;

export const BgpFamily = z.object({
  afi: z.string(),
  safi: z.string(),
  /** Absent: the family advertises nothing. */
  advertisements: z.optional(LabelSelector),
});
export type BgpFamily = z.infer<typeof BgpFamily>;

export const BgpPeerConfig = z.object({
  name: z.string(),
  families: z.array(BgpFamily),
  holdTimeSeconds: z.int(),
  keepAliveTimeSeconds: z.int(),
  connectRetryTimeSeconds: z.int(),
  ebgpMultihop: z.int(),
  gracefulRestart: z.optional(z.object({ enabled: z.boolean(), restartTimeSeconds: z.int() })),
  peerPort: z.int(),
  authSecretRef: z.optional(z.string()),
});
export type BgpPeerConfig = z.infer<typeof BgpPeerConfig>;

export const BgpAdvertisement = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  entries: z.array(z.object({
    type: z.string(),
    addresses: z.array(z.string()),
    /** Absent: matches no service (reference/cilium.md §1). */
    selector: z.optional(LabelSelector),
  })),
});
export type BgpAdvertisement = z.infer<typeof BgpAdvertisement>;

export const PoolBlockSpec = z.object({ cidr: z.optional(z.string()), start: z.optional(z.string()), stop: z.optional(z.string()) });
export type PoolBlockSpec = z.infer<typeof PoolBlockSpec>;

export const LbPool = z.object({
  name: z.string(),
  /** Who wrote the pool (app.kubernetes.io/managed-by): north-south exercises changeflow's own. */
  labels: z.record(z.string(), z.string()),
  blocks: z.array(PoolBlockSpec),
  serviceSelector: z.optional(LabelSelector),
  disabled: z.boolean(),
  conflict: z.boolean(),
});
export type LbPool = z.infer<typeof LbPool>;

export const ClusterService = z.object({
  namespace: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  type: z.string(),
  lbIps: z.array(z.string()),
  port: z.optional(z.int()),
});
export type ClusterService = z.infer<typeof ClusterService>;

export const EgressPolicy = z.object({
  name: z.string(),
  egressIp: z.optional(z.string()),
  interface: z.optional(z.string()),
  gatewaySelectors: z.array(LabelSelector),
  destinationCidrs: z.array(z.string()),
  /** The first selected namespace and pod labels, for naming the client in test actions. */
  namespace: z.optional(z.string()),
  podLabels: z.record(z.string(), z.string()),
});
export type EgressPolicy = z.infer<typeof EgressPolicy>;

export const L2Policy = z.object({
  name: z.string(),
  nodeSelector: z.optional(LabelSelector),
  serviceSelector: z.optional(LabelSelector),
  loadBalancerIPs: z.boolean(),
  externalIPs: z.boolean(),
});
export type L2Policy = z.infer<typeof L2Policy>;

export const Rollout = z.object({
  desired: z.int(),
  ready: z.int(),
  available: z.int(),
  updated: z.int(),
  generation: z.int(),
  observedGeneration: z.int(),
  image: z.optional(z.string()),
});
export type Rollout = z.infer<typeof Rollout>;

export const AgentPod = z.object({ name: z.string(), node: z.string(), ip: z.optional(z.string()), running: z.boolean() });
export type AgentPod = z.infer<typeof AgentPod>;

export const ClusterSnapshot = z.object({
  clusterName: z.string(),
  nodes: z.array(ClusterNode),
  clusterConfigs: z.array(BgpClusterConfig),
  peerConfigs: z.array(BgpPeerConfig),
  advertisements: z.array(BgpAdvertisement),
  pools: z.array(LbPool),
  services: z.array(ClusterService),
  egressPolicies: z.array(EgressPolicy),
  l2Policies: z.array(L2Policy),
  config: z.record(z.string(), z.string()),
  agents: z.optional(Rollout),
  operator: z.optional(Rollout),
  agentPods: z.array(AgentPod),
  /** cilium-config keys changed since the agents last restarted (agent-configs.ts): not in effect yet. */
  pendingConfigKeys: z.array(z.string()),
});
export type ClusterSnapshot = z.infer<typeof ClusterSnapshot>;
