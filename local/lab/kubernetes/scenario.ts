import * as z from '../../../shared/zod.js';
import { scaleNodes } from '../scale-scenario.js';

// The cluster side of the lab scenarios (docs/architecture.md §3.5). `default` is binding: cluster prod-a on
// Cilium 1.18 with BGP control plane (status report on), egress gateway, BPF masquerade, KPR,
// native routing and L2 announcements. The other two differ in the Cilium version only, so
// version prechecks (v2alpha1-only BGP on 1.17, no BGPv1 on 1.19) have something to look at.
// `scale` is `default` at 500 nodes with thousands of objects (scale-seeds.ts).
export const ScenarioName = z.enum(['default', 'cilium-1.17', 'cilium-1.19', 'scale']);
export type ScenarioName = z.infer<typeof ScenarioName>;

export const LabNode = z.object({
  name: z.string(),
  internalIp: z.string(),
  labels: z.record(z.string(), z.string()),
  controlPlane: z.boolean(),
  podCidr: z.string(),
});
export type LabNode = z.infer<typeof LabNode>;

export const Scenario = z.object({
  name: ScenarioName,
  clusterName: z.string(),
  kubernetesVersion: z.string(),
  ciliumVersion: z.string(),
  ciliumMinor: z.int(),
  /** Value of the io.cilium.k8s.crd.schema.version label on the CRDs (lab stand-ins per minor). */
  crdSchemaVersion: z.string(),
  nodes: z.array(LabNode),
  ciliumConfig: z.record(z.string(), z.string()),
});
export type Scenario = z.infer<typeof Scenario>;

const nodes: LabNode[] = [
  { name: 'prod-a-cp1', internalIp: '192.168.2.10', labels: { 'node-role.kubernetes.io/control-plane': '' }, controlPlane: true, podCidr: '10.244.0.0/24' },
  { name: 'prod-a-w1', internalIp: '192.168.2.11', labels: { bgp: 'enabled' }, controlPlane: false, podCidr: '10.244.1.0/24' },
  { name: 'prod-a-w2', internalIp: '192.168.2.12', labels: { bgp: 'enabled' }, controlPlane: false, podCidr: '10.244.2.0/24' },
  { name: 'prod-a-w3', internalIp: '192.168.2.13', labels: { bgp: 'enabled' }, controlPlane: false, podCidr: '10.244.3.0/24' },
  { name: 'prod-a-w4', internalIp: '192.168.2.14', labels: { bgp: 'enabled', 'egress-gateway': 'true' }, controlPlane: false, podCidr: '10.244.4.0/24' },
];

// Keys the product's prechecks read (reference/cilium.md §2) plus the usual Helm neighbours.
const ciliumConfig: Record<string, string> = {
  'agent-not-ready-taint-key': 'node.cilium.io/agent-not-ready',
  'auto-direct-node-routes': 'true',
  'bgp-secrets-namespace': 'kube-system',
  'bpf-lb-acceleration': 'disabled',
  'bpf-lb-algorithm': 'random',
  'bpf-lb-mode': 'snat',
  'cluster-id': '0',
  'cluster-name': 'prod-a',
  debug: 'false',
  'direct-routing-skip-unreachable': 'false',
  'enable-bgp-control-plane': 'true',
  'enable-bgp-control-plane-status-report': 'true',
  'enable-bpf-masquerade': 'true',
  'enable-egress-gateway': 'true',
  'enable-hubble': 'true',
  'enable-ipv4': 'true',
  'enable-ipv4-masquerade': 'true',
  'enable-ipv6': 'false',
  'enable-l2-announcements': 'true',
  'identity-allocation-mode': 'crd',
  ipam: 'kubernetes',
  'ipv4-native-routing-cidr': '10.244.0.0/16',
  'kube-proxy-replacement': 'true',
  'l2-announcements-lease-duration': '15s',
  'l2-announcements-renew-deadline': '5s',
  'l2-announcements-retry-period': '2s',
  'routing-mode': 'native',
};

const versions: Record<ScenarioName, { cilium: string; minor: number; schema: string }> = {
  default: { cilium: '1.18.2', minor: 18, schema: '1.32.5' },
  'cilium-1.17': { cilium: '1.17.6', minor: 17, schema: '1.30.4' },
  'cilium-1.19': { cilium: '1.19.1', minor: 19, schema: '1.33.2' },
  scale: { cilium: '1.18.2', minor: 18, schema: '1.32.5' },
};

// The `scale` cluster: 500 nodes (local/lab/scale-scenario.ts), the first five as in `default`.
const scaleLabNodes: LabNode[] = scaleNodes().map((n) => ({ name: n.name, internalIp: n.ip, labels: n.labels, controlPlane: n.controlPlane, podCidr: n.podCidr }));

export function scenario(name: string = 'default'): Scenario {
  const parsed = ScenarioName.safeParse(name);
  if (!parsed.success) {
    throw new Error(`unknown Kubernetes lab scenario "${name}"; expected one of ${ScenarioName.options.join(', ')}`);
  }
  const v = versions[parsed.data];
  return Scenario.parse({
    name: parsed.data,
    clusterName: 'prod-a',
    kubernetesVersion: 'v1.32.4',
    ciliumVersion: v.cilium,
    ciliumMinor: v.minor,
    crdSchemaVersion: v.schema,
    nodes: parsed.data === 'scale' ? scaleLabNodes : nodes,
    ciliumConfig,
  });
}
