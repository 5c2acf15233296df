import * as z from '../../../shared/zod.js';
import type { KubeApi } from './kube-api.js';
import type { AgentConfig } from '../world/agent-configs.js';
import { datapathStatus } from './agent-status.js';
import { tabulate } from './tabwriter.js';

// `cilium status` from what the API shows: the Cilium DaemonSets and Deployments, their pods and
// images. A rollout in progress counts its not-yet-restarted pods as not ready, so `--wait` after
// `rollout restart ds/cilium` waits for the restart as it does on a real cluster.

const Workload = z.looseObject({
  metadata: z.looseObject({ name: z.string(), generation: z.optional(z.number()) }),
  spec: z.optional(z.looseObject({ replicas: z.optional(z.number()) })),
  status: z.optional(z.looseObject({
    desiredNumberScheduled: z.optional(z.number()), numberReady: z.optional(z.number()), numberAvailable: z.optional(z.number()),
    updatedNumberScheduled: z.optional(z.number()), replicas: z.optional(z.number()), readyReplicas: z.optional(z.number()),
    availableReplicas: z.optional(z.number()), updatedReplicas: z.optional(z.number()), observedGeneration: z.optional(z.number()),
  })),
});
const Pod = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  spec: z.optional(z.looseObject({ hostNetwork: z.optional(z.boolean()), containers: z.optional(z.array(z.looseObject({ image: z.optional(z.string()) }))) })),
  status: z.optional(z.looseObject({ phase: z.optional(z.string()) })),
});
type Pod = z.infer<typeof Pod>;

interface PodState {
  Type: 'DaemonSet' | 'Deployment';
  Desired: number;
  Ready: number;
  Available: number;
  Unavailable: number;
}

export interface CiliumStatus {
  /** The -o json document (cilium-cli's status.Status, empty fields omitted). */
  json: Record<string, unknown>;
  errors: string[];
  summary: string;
}

function podState(raw: unknown, type: PodState['Type']): PodState | undefined {
  const w = Workload.safeParse(raw);
  if (!w.success) return undefined;
  const s = w.data.status ?? {};
  const ds = type === 'DaemonSet';
  const desired = (ds ? s.desiredNumberScheduled : w.data.spec?.replicas) ?? 0;
  const rolling = (s.observedGeneration ?? 0) < (w.data.metadata.generation ?? 1) || ((ds ? s.updatedNumberScheduled : s.updatedReplicas) ?? desired) < desired;
  const updated = (ds ? s.updatedNumberScheduled : s.updatedReplicas) ?? 0;
  const ready = Math.min((ds ? s.numberReady : s.readyReplicas) ?? 0, rolling ? updated : desired);
  const available = Math.min((ds ? s.numberAvailable : s.availableReplicas) ?? 0, ready);
  return { Type: type, Desired: desired, Ready: ready, Available: available, Unavailable: desired - available };
}

function counts(pods: Pod[], key: (p: Pod) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) out[key(p)] = (out[key(p)] ?? 0) + 1;
  return out;
}

/**
 * `agents`: the configuration each agent pod started with (the lab world's record); without it
 * every agent is taken to run with cilium-config as it is now.
 */
export async function collectStatus(api: KubeApi, agents?: ReadonlyMap<string, AgentConfig>): Promise<CiliumStatus> {
  const [agentsDs, envoyDs, operatorDeploy, relay, agentPodsRaw, operatorPodsRaw, allPodsRaw, version, configMap] = await Promise.all([
    api.find('/apis/apps/v1/namespaces/kube-system/daemonsets/cilium'),
    api.find('/apis/apps/v1/namespaces/kube-system/daemonsets/cilium-envoy'),
    api.find('/apis/apps/v1/namespaces/kube-system/deployments/cilium-operator'),
    api.find('/apis/apps/v1/namespaces/kube-system/deployments/hubble-relay'),
    api.list('/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium'),
    api.list('/api/v1/namespaces/kube-system/pods?labelSelector=io.cilium%2Fapp%3Doperator'),
    api.list('/api/v1/pods'),
    api.find('/version'),
    api.find('/api/v1/namespaces/kube-system/configmaps/cilium-config'),
  ]);
  const configNow = z.looseObject({ data: z.optional(z.record(z.string(), z.string())) }).safeParse(configMap).data?.data ?? {};
  const pods = (raw: unknown[]): Pod[] => raw.map((p) => Pod.safeParse(p)).flatMap((p) => (p.success ? [p.data] : []));
  const agentPods = pods(agentPodsRaw);
  const operatorPods = pods(operatorPodsRaw);
  const workloadPods = pods(allPodsRaw).filter((p) => !p.spec?.hostNetwork);
  const state: Record<string, PodState> = {};
  const add = (name: string, s: PodState | undefined): void => {
    if (s) state[name] = s;
  };
  add('cilium', podState(agentsDs, 'DaemonSet'));
  add('cilium-envoy', podState(envoyDs, 'DaemonSet'));
  add('cilium-operator', podState(operatorDeploy, 'Deployment'));
  add('hubble-relay', podState(relay, 'Deployment'));

  const errors: Record<string, Record<string, { Errors: string[]; Warnings: null; Disabled: boolean }>> = {};
  for (const [name, s] of Object.entries(state)) {
    if (s.Ready < s.Desired) errors[name] = { [name]: { Errors: [`${s.Desired - s.Ready} pods of ${s.Type} ${name} are not ready`], Warnings: null, Disabled: false } };
  }
  if (!state['cilium']) errors['cilium'] = { cilium: { Errors: ['daemonsets.apps "cilium" not found'], Warnings: null, Disabled: false } };
  const image = (p: Pod): string => p.spec?.containers?.[0]?.image ?? 'unknown';
  const k8sVersion = z.looseObject({ gitVersion: z.string() }).safeParse(version).data?.gitVersion ?? 'unknown';
  const minor = /^v(\d+\.\d+)/.exec(k8sVersion)?.[1] ?? k8sVersion;
  const agentImage = agentPods.map(image)[0] ?? '';
  const json: Record<string, unknown> = {
    image_count: { cilium: counts(agentPods, image), 'cilium-operator': counts(operatorPods, image) },
    phase_count: { cilium: counts(agentPods, (p) => p.status?.phase ?? 'Unknown'), 'cilium-operator': counts(operatorPods, (p) => p.status?.phase ?? 'Unknown') },
    pod_state: state,
    pods_count: { all: workloadPods.length, by_cilium: workloadPods.length },
    cilium_status: Object.fromEntries(agentPods.map((p) => [p.metadata.name, {
      cilium: { state: p.status?.phase === 'Running' ? 'Ok' : 'Failure', msg: p.status?.phase === 'Running' ? 'Ok' : `pod is ${p.status?.phase ?? 'Unknown'}` },
      kubernetes: { state: 'Ok', msg: `${minor} (${k8sVersion}) [linux/amd64]` },
      ...datapathStatus(agents?.get(p.metadata.name)?.config ?? configNow),
    }])),
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
    ...(agentImage ? { helm_chart_version: /:v?([\w.-]+)$/.exec(agentImage)?.[1] ?? '' } : {}),
  };
  const flat = Object.values(errors).flatMap((byPod) => Object.values(byPod).flatMap((e) => e.Errors));
  return { json, errors: flat, summary: renderSummary(state, json, errors) };
}

function verdict(state: PodState | undefined, errors: Record<string, unknown>, name: string): string {
  if (!state) return 'disabled';
  return errors[name] ? '1 errors' : 'OK';
}

function renderSummary(state: Record<string, PodState>, json: Record<string, unknown>, errors: Record<string, Record<string, { Errors: string[] }>>): string {
  const logo = ['    /¯¯\\', ' /¯¯\\__/¯¯\\', ' \\__/¯¯\\__/', ' /¯¯\\__/¯¯\\', ' \\__/¯¯\\__/', '    \\__/'];
  const side = [
    '',
    `Cilium:             ${verdict(state['cilium'], errors, 'cilium')}`,
    `Operator:           ${verdict(state['cilium-operator'], errors, 'cilium-operator')}`,
    `Envoy DaemonSet:    ${verdict(state['cilium-envoy'], errors, 'cilium-envoy')}`,
    `Hubble Relay:       ${verdict(state['hubble-relay'], errors, 'hubble-relay')}`,
    'ClusterMesh:        disabled',
  ];
  let out = logo.map((l, i) => (side[i] ? `${l.padEnd(15)}${side[i]}` : l)).join('\n') + '\n\n';
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(state).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push([s.Type, name, `Desired: ${s.Desired}, Ready: ${s.Ready}/${s.Desired}, Available: ${s.Available}/${s.Desired}${s.Unavailable > 0 ? `, Unavailable: ${s.Unavailable}/${s.Desired}` : ''}`]);
  }
  const phases = json['phase_count'] as Record<string, Record<string, number>>;
  Object.entries(phases).forEach(([name, byPhase], i) => rows.push([i === 0 ? 'Containers:' : '', name, Object.entries(byPhase).map(([p, n]) => `${p}: ${n}`).join(', ') || 'Running: 0']));
  const pods = json['pods_count'] as { all: number; by_cilium: number };
  rows.push(['Cluster Pods:', `${pods.by_cilium}/${pods.all} managed by Cilium`]);
  if (json['helm_chart_version']) rows.push(['Helm chart version:', String(json['helm_chart_version'])]);
  const images = json['image_count'] as Record<string, Record<string, number>>;
  Object.entries(images).forEach(([name, byImage], i) => {
    for (const [img, n] of Object.entries(byImage)) rows.push([i === 0 ? 'Image versions' : '', name, `${img}: ${n}`]);
  });
  for (const [name, byPod] of Object.entries(errors)) {
    for (const [pod, e] of Object.entries(byPod)) for (const msg of e.Errors) rows.push(['Errors:', name, pod, msg]);
  }
  out += tabulate(rows, { padding: 4 });
  return out;
}
