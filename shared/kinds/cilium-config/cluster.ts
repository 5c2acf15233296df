import type { CiliumConfig } from '../../spec/index.js';
import { ciliumConfigKeys, type Restart } from '../../spec/cilium-config-keys.js';
import type { KubeObject, KubeRef } from '../../plan/index.js';
import { ciliumConfigName } from '../../cilium/manifests/names.js';

// ciliumConfig → a server-side apply of cilium-config carrying only the spec's keys. Helm owns
// those keys, so the apply is forced on purpose (the precheck names the previous owner). No
// managed-by label: changeflow patches this object, it does not create it.

export function ciliumConfigObject(change: CiliumConfig, ciliumNamespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ciliumConfigName, namespace: ciliumNamespace },
    data: { ...change.settings },
  };
}

/** Which workloads must restart for these keys to take effect, agents before the operator. */
export function restartsFor(keys: Iterable<string>): Restart[] {
  const needed = new Set<Restart>();
  for (const key of keys) for (const r of ciliumConfigKeys[key]?.restarts ?? []) needed.add(r);
  return (['agent', 'operator'] as const).filter((r) => needed.has(r));
}

/**
 * The datapath keys of the seed design: the agents restart with them one node at a time, each
 * node gated on its agent's health, so a bad datapath setting stops at the first node.
 */
export const nodeByNodeKeys: ReadonlySet<string> = new Set([
  'routing-mode', 'auto-direct-node-routes', 'enable-endpoint-routes', 'kube-proxy-replacement', 'ipv4-native-routing-cidr',
  'bpf-lb-acceleration', 'bpf-lb-algorithm', 'bpf-lb-mode', 'bpf-lb-dsr-dispatch',
]);

/** The agents' pods, by the label the cilium DaemonSet gives them. */
export const agentPodSelector = 'k8s-app=cilium';

export function restartRef(restart: Restart, ciliumNamespace: string): KubeRef {
  return restart === 'agent'
    ? { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: ciliumNamespace, name: 'cilium' }
    : { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ciliumNamespace, name: 'cilium-operator' };
}
