import { createHash } from 'node:crypto';
import { crdFor, crdStatus } from './crds.js';
import type { JsonObject } from './json.js';
import type { ResourceDef } from './resources.js';
import type { LabNode, Scenario } from './scenario.js';
import { scaleSeeds } from './scale-seeds.js';

// The objects a scenario starts with, each with the manager that would have written it on a real
// cluster (kubelet, helm, the controllers), so managedFields and conflicts look like the real thing.
export interface Seed {
  manager: string;
  object: JsonObject;
  status?: JsonObject;
  statusManager?: string;
}

const suffix = (text: string, n = 5): string => createHash('sha256').update(text).digest('hex').replace(/[0-9]/g, '').slice(0, n).padEnd(n, 'x');

export function seedObjects(s: Scenario, ciliumDefs: ReadonlyArray<ResourceDef>): Seed[] {
  return [
    ...['default', 'kube-system', 'kube-public', 'kube-node-lease', 'shop'].map((ns) => namespace(ns)),
    ...s.nodes.map((n) => node(n, s)),
    ...ciliumDefs.map((d) => {
      const crd = crdFor(d, s.crdSchemaVersion);
      return { manager: 'cilium-operator-generic', object: crd, status: crdStatus(d, crd), statusManager: 'kube-apiserver' };
    }),
    {
      manager: 'helm',
      object: {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: 'cilium-config', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': 'kube-system' } },
        data: { ...s.ciliumConfig },
      },
    },
    ...workloads(s),
    ...pods(s),
    service('default', 'kubernetes', 'ClusterIP', '10.96.0.1', {}, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], 'kube-apiserver'),
    service('shop', 'frontend', 'LoadBalancer', '10.96.120.10', { app: 'frontend', color: 'red' }, [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 31080 }]),
    service('shop', 'checkout', 'LoadBalancer', '10.96.120.11', { app: 'checkout', color: 'blue' }, [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 31081 }]),
    ...(s.name === 'scale' ? scaleSeeds() : []),
  ];
}

function namespace(name: string): Seed {
  return {
    manager: name === 'shop' ? 'kubectl-create' : 'kube-apiserver',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] } },
    status: { phase: 'Active' },
    statusManager: 'kube-apiserver',
  };
}

function node(n: LabNode, s: Scenario): Seed {
  const spec: JsonObject = { podCIDR: n.podCidr, podCIDRs: [n.podCidr] };
  if (n.controlPlane) spec['taints'] = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  return {
    manager: 'kubelet',
    object: {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: n.name, labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...n.labels } },
      spec,
    },
    statusManager: 'kubelet',
    status: {
      addresses: [{ type: 'InternalIP', address: n.internalIp }, { type: 'Hostname', address: n.name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' }],
      capacity: { cpu: '8', memory: '32863576Ki', pods: '110' },
      allocatable: { cpu: '8', memory: '32761176Ki', pods: '110' },
      nodeInfo: {
        architecture: 'amd64', operatingSystem: 'linux', osImage: 'Ubuntu 24.04.1 LTS', kernelVersion: '6.8.0-51-generic',
        containerRuntimeVersion: 'containerd://1.7.24', kubeletVersion: s.kubernetesVersion, kubeProxyVersion: '',
        machineID: suffix(n.name, 12), systemUUID: suffix(n.name + 'uuid', 12), bootID: suffix(n.name + 'boot', 12),
      },
    },
  };
}

function workloads(s: Scenario): Seed[] {
  const v = `v${s.ciliumVersion}`;
  const helmMeta = (name: string, labels: Record<string, string>): JsonObject => ({
    name, namespace: 'kube-system',
    labels: { ...labels, 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/managed-by': 'Helm' },
    annotations: { 'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': 'kube-system' },
  });
  const daemonSet = (name: string, app: string, image: string, container: string): Seed => ({
    manager: 'helm',
    object: {
      apiVersion: 'apps/v1', kind: 'DaemonSet',
      metadata: helmMeta(name, { 'k8s-app': name, 'app.kubernetes.io/name': app }),
      spec: {
        selector: { matchLabels: { 'k8s-app': name } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } },
        template: {
          metadata: { labels: { 'k8s-app': name, 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'cilium' } },
          spec: {
            containers: [{ name: container, image }],
            hostNetwork: true,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            priorityClassName: 'system-node-critical',
            serviceAccountName: name,
            tolerations: [{ operator: 'Exists' }],
          },
        },
      },
    },
    statusManager: 'kube-controller-manager',
    status: daemonSetStatus(s.nodes.length, 1),
  });
  return [
    daemonSet('cilium', 'cilium-agent', `quay.io/cilium/cilium:${v}`, 'cilium-agent'),
    daemonSet('cilium-envoy', 'cilium-envoy', 'quay.io/cilium/cilium-envoy:v1.34.7-1757592137-1a52bb680a956879722f48c591a2ca90f7791324', 'cilium-envoy'),
    {
      manager: 'helm',
      object: {
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: helmMeta('cilium-operator', { 'io.cilium/app': 'operator', name: 'cilium-operator', 'app.kubernetes.io/name': 'cilium-operator' }),
        spec: {
          replicas: 2,
          selector: { matchLabels: { 'io.cilium/app': 'operator', name: 'cilium-operator' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '50%' } },
          template: {
            metadata: { labels: { 'io.cilium/app': 'operator', name: 'cilium-operator', 'app.kubernetes.io/part-of': 'cilium' } },
            spec: {
              containers: [{ name: 'cilium-operator', image: `quay.io/cilium/operator-generic:${v}` }],
              hostNetwork: true,
              priorityClassName: 'system-cluster-critical',
              serviceAccountName: 'cilium-operator',
            },
          },
        },
      },
      statusManager: 'kube-controller-manager',
      status: deploymentStatus(2, 1),
    },
  ];
}

export function daemonSetStatus(desired: number, generation: number, updated = desired): JsonObject {
  return {
    currentNumberScheduled: desired, desiredNumberScheduled: desired, numberAvailable: desired, numberMisscheduled: 0,
    numberReady: desired, observedGeneration: generation, updatedNumberScheduled: updated,
  };
}

export function deploymentStatus(replicas: number, generation: number, updated = replicas): JsonObject {
  return {
    availableReplicas: replicas, observedGeneration: generation, readyReplicas: replicas, replicas, updatedReplicas: updated,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: '2025-01-01T00:00:00Z', lastUpdateTime: '2025-01-01T00:00:00Z' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet has successfully progressed.', lastTransitionTime: '2025-01-01T00:00:00Z', lastUpdateTime: '2025-01-01T00:00:00Z' },
    ],
  };
}

function pods(s: Scenario): Seed[] {
  const pod = (name: string, nodeName: string, nodeIp: string, labels: Record<string, string>, container: string, image: string): Seed => ({
    manager: 'kube-controller-manager',
    object: {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: 'kube-system', labels },
      spec: { nodeName, hostNetwork: true, containers: [{ name: container, image }] },
    },
    statusManager: 'kubelet',
    status: {
      phase: 'Running', hostIP: nodeIp, podIP: nodeIp, startTime: '2025-01-01T00:00:00Z',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }],
      containerStatuses: [{ name: container, image, ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } }],
    },
  });
  const v = `v${s.ciliumVersion}`;
  // Five letters name a pod uniquely on five nodes, not on five hundred: a taken name grows a letter.
  const taken = new Set<string>();
  const agentName = (node: string): string => {
    let name = `cilium-${suffix(node)}`;
    for (let n = 6; taken.has(name); n += 1) name = `cilium-${suffix(node, n)}`;
    taken.add(name);
    return name;
  };
  const agents = s.nodes.map((n) => pod(agentName(n.name), n.name, n.internalIp, { 'k8s-app': 'cilium', 'app.kubernetes.io/name': 'cilium-agent' }, 'cilium-agent', `quay.io/cilium/cilium:${v}`));
  const workers = s.nodes.filter((n) => !n.controlPlane);
  const operators = workers.slice(0, 2).map((n, i) =>
    pod(`cilium-operator-6c9b8f7d4-${suffix('op' + i)}`, n.name, n.internalIp, { 'io.cilium/app': 'operator', name: 'cilium-operator' }, 'cilium-operator', `quay.io/cilium/operator-generic:${v}`),
  );
  return [...agents, ...operators];
}

function service(ns: string, name: string, type: string, clusterIP: string, labels: Record<string, string>, ports: JsonObject[], manager = 'kubectl-client-side-apply'): Seed {
  const spec: JsonObject = { type, clusterIP, clusterIPs: [clusterIP], ports, ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None' };
  if (labels['app']) spec['selector'] = { app: labels['app'] };
  if (type === 'LoadBalancer') {
    spec['externalTrafficPolicy'] = 'Cluster';
    spec['allocateLoadBalancerNodePorts'] = true;
  }
  const metadata: JsonObject = { name, namespace: ns };
  if (Object.keys(labels).length > 0) metadata['labels'] = labels;
  return { manager, object: { apiVersion: 'v1', kind: 'Service', metadata, spec } };
}
