import * as z from 'zod';
import { LabelSelector } from '../../../shared/cilium/label-selector.js';

// What the world needs to know about the cluster: nodes, the Cilium BGPv2 objects, LB pools and
// the services they feed, egress and L2 policies, cilium-config and the agents' rollout. Built
// from Kubernetes objects (cluster-objects.ts) in the lab process and in the `cilium` executable.

export const ClusterNode = z.object({
  name: z.string(),
  ip: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  ready: z.boolean(),
  podCidr: z.string().optional(),
});
export type ClusterNode = z.infer<typeof ClusterNode>;

export const BgpPeerSpec = z.object({
  name: z.string(),
  peerAddress: z.string().optional(),
  /** 0 or absent: learn the AS from the neighbour's OPEN. */
  peerASN: z.number().int().optional(),
  peerConfigRef: z.string().optional(),
});
export type BgpPeerSpec = z.infer<typeof BgpPeerSpec>;

export const BgpInstanceSpec = z.object({
  name: z.string(),
  localASN: z.number().int().optional(),
  peers: z.array(BgpPeerSpec),
});
export type BgpInstanceSpec = z.infer<typeof BgpInstanceSpec>;

export const BgpClusterConfig = z.object({
  name: z.string(),
  /** Absent: every node. */
  nodeSelector: LabelSelector.optional(),
  instances: z.array(BgpInstanceSpec),
});
export type BgpClusterConfig = z.infer<typeof BgpClusterConfig>;

export const BgpFamily = z.object({
  afi: z.string(),
  safi: z.string(),
  /** Absent: the family advertises nothing. */
  advertisements: LabelSelector.optional(),
});
export type BgpFamily = z.infer<typeof BgpFamily>;

export const BgpPeerConfig = z.object({
  name: z.string(),
  families: z.array(BgpFamily),
  holdTimeSeconds: z.number().int(),
  keepAliveTimeSeconds: z.number().int(),
  connectRetryTimeSeconds: z.number().int(),
  ebgpMultihop: z.number().int(),
  gracefulRestart: z.object({ enabled: z.boolean(), restartTimeSeconds: z.number().int() }).optional(),
  peerPort: z.number().int(),
  authSecretRef: z.string().optional(),
});
export type BgpPeerConfig = z.infer<typeof BgpPeerConfig>;

export const BgpAdvertisement = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  entries: z.array(z.object({
    type: z.string(),
    addresses: z.array(z.string()),
    /** Absent: matches no service (reference/cilium.md §1). */
    selector: LabelSelector.optional(),
  })),
});
export type BgpAdvertisement = z.infer<typeof BgpAdvertisement>;

export const PoolBlockSpec = z.object({ cidr: z.string().optional(), start: z.string().optional(), stop: z.string().optional() });
export type PoolBlockSpec = z.infer<typeof PoolBlockSpec>;

export const LbPool = z.object({
  name: z.string(),
  /** Who wrote the pool (app.kubernetes.io/managed-by): north-south exercises changeflow's own. */
  labels: z.record(z.string(), z.string()),
  blocks: z.array(PoolBlockSpec),
  serviceSelector: LabelSelector.optional(),
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
  port: z.number().int().optional(),
});
export type ClusterService = z.infer<typeof ClusterService>;

export const EgressPolicy = z.object({
  name: z.string(),
  egressIp: z.string().optional(),
  interface: z.string().optional(),
  gatewaySelectors: z.array(LabelSelector),
  destinationCidrs: z.array(z.string()),
  /** The first selected namespace and pod labels, for naming the client in test actions. */
  namespace: z.string().optional(),
  podLabels: z.record(z.string(), z.string()),
});
export type EgressPolicy = z.infer<typeof EgressPolicy>;

export const L2Policy = z.object({
  name: z.string(),
  nodeSelector: LabelSelector.optional(),
  serviceSelector: LabelSelector.optional(),
  loadBalancerIPs: z.boolean(),
  externalIPs: z.boolean(),
});
export type L2Policy = z.infer<typeof L2Policy>;

export const Rollout = z.object({
  desired: z.number().int(),
  ready: z.number().int(),
  available: z.number().int(),
  updated: z.number().int(),
  generation: z.number().int(),
  observedGeneration: z.number().int(),
  image: z.string().optional(),
});
export type Rollout = z.infer<typeof Rollout>;

export const AgentPod = z.object({ name: z.string(), node: z.string(), ip: z.string().optional(), running: z.boolean() });
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
  agents: Rollout.optional(),
  operator: Rollout.optional(),
  agentPods: z.array(AgentPod),
  /** cilium-config keys changed since the agents last restarted (agent-configs.ts): not in effect yet. */
  pendingConfigKeys: z.array(z.string()),
});
export type ClusterSnapshot = z.infer<typeof ClusterSnapshot>;
