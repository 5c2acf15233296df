import * as z from '../../zod.js';
import type { ChangeSpec } from '../../spec/index.js';
import { objectsOfKind } from '../../cilium/facts/kube-lists.js';
import type { CiliumStatusCheck, ObjectsCheck, VerifyPart } from '../kind.js';
import { expectedInStatus, statusValue } from './agent-status.js';
import { restartsFor } from './cluster.js';

// Verify step for ciliumConfig. An agent reads cilium-config when it starts, so "every agent runs
// with the new value" is: cilium-config holds it, ds/cilium has rolled out (every scheduled pod
// updated and available, as `kubectl rollout status` judges it), and every agent pod started after
// the restart; then each agent's own status (`cilium status -o json`, one StatusResponse per
// agent pod) shows the value wherever the status has a field for the key. The connectivity test
// follows (agent/commands/verify.ts).

const restartedAt = 'kubectl.kubernetes.io/restartedAt';

const DaemonSet = z.looseObject({
  metadata: z.looseObject({ name: z.string(), generation: z.optional(z.number()) }),
  spec: z.optional(z.looseObject({ template: z.optional(z.looseObject({ metadata: z.optional(z.looseObject({ annotations: z.optional(z.record(z.string(), z.string())) })) })) })),
  status: z.optional(z.looseObject({
    observedGeneration: z.optional(z.number()), desiredNumberScheduled: z.optional(z.number()),
    updatedNumberScheduled: z.optional(z.number()), numberAvailable: z.optional(z.number()),
  })),
});
const Pod = z.looseObject({
  metadata: z.looseObject({ name: z.string(), creationTimestamp: z.optional(z.string()) }),
  spec: z.optional(z.looseObject({ nodeName: z.optional(z.string()) })),
  status: z.optional(z.looseObject({ phase: z.optional(z.string()), conditions: z.optional(z.array(z.looseObject({ type: z.string(), status: z.string() }))) })),
});
const ConfigMap = z.looseObject({
  metadata: z.looseObject({ name: z.string(), managedFields: z.nullish(z.array(z.looseObject({ time: z.optional(z.string()) }))) }),
  data: z.nullish(z.record(z.string(), z.string())),
});
const StatusDocument = z.looseObject({ cilium_status: z.nullish(z.record(z.string(), z.unknown())) });

/** The settings of every present ciliumConfig change, later changes winning, and whether agents restart. */
function wanted(spec: ChangeSpec): { settings: Record<string, string>; agentRestart: boolean } | undefined {
  let settings: Record<string, string> | undefined;
  let agentRestart = false;
  for (const c of spec.changes) {
    if (c.type !== 'ciliumConfig') continue;
    settings = { ...settings, ...c.settings };
    if (c.restart === 'rolling' && restartsFor(Object.keys(c.settings)).includes('agent')) agentRestart = true;
  }
  return settings ? { settings, agentRestart } : undefined;
}

function byNode<P extends z.infer<typeof Pod>>(pods: P[]): P[] {
  return [...pods].sort((a, b) => (a.spec?.nodeName ?? '').localeCompare(b.spec?.nodeName ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

export const RestartVerdict = z.object({ ok: z.boolean(), agents: z.array(z.object({ pod: z.string(), node: z.string(), started: z.string() })), problems: z.array(z.string()), evidence: z.string() });
export type RestartVerdict = z.infer<typeof RestartVerdict>;

export function evaluateAgentsRestarted(spec: ChangeSpec, daemonSets: unknown[], pods: unknown[], configMaps: unknown[]): RestartVerdict {
  const want = wanted(spec);
  const out: RestartVerdict = { ok: true, agents: [], problems: [], evidence: '' };
  if (!want) return { ...out, evidence: 'no ciliumConfig change' };
  const configMap = objectsOfKind(configMaps, 'ConfigMap', ConfigMap).find((c) => c.metadata.name === 'cilium-config');
  const data = configMap?.data ?? {};
  // When cilium-config was last written (its newest managedFields entry): an agent started
  // before that may run with an older configuration.
  const written = (configMap?.metadata.managedFields ?? []).map((m) => m.time ?? '').filter(Boolean).sort().at(-1);
  const settings = Object.entries(want.settings);
  for (const [k, v] of settings) if (data[k] !== v) out.problems.push(`cilium-config has ${k}=${data[k] ?? '(unset)'}, expected ${v}`);
  const carried = settings.map(([k, v]) => `${k}=${v}`).join(', ');
  if (!want.agentRestart) {
    out.ok = out.problems.length === 0;
    return { ...out, evidence: out.ok ? `cilium-config has ${carried}; no agent restart was asked for, so the agents read it when they next start` : out.problems.join('; ') };
  }
  const ds = objectsOfKind(daemonSets, 'DaemonSet', DaemonSet).find((d) => d.metadata.name === 'cilium');
  if (!ds) out.problems.push('ds/cilium not found');
  const s = ds?.status ?? {};
  const desired = s.desiredNumberScheduled ?? 0;
  if (ds && (s.observedGeneration ?? 0) < (ds.metadata.generation ?? 0)) out.problems.push(`ds/cilium generation ${ds.metadata.generation ?? 0} not observed yet`);
  if (ds && (s.updatedNumberScheduled ?? 0) < desired) out.problems.push(`ds/cilium: ${s.updatedNumberScheduled ?? 0} of ${desired} agent pods updated`);
  if (ds && (s.numberAvailable ?? 0) < desired) out.problems.push(`ds/cilium: ${s.numberAvailable ?? 0} of ${desired} agent pods available`);
  const stamp = ds?.spec?.template?.metadata?.annotations?.[restartedAt];
  // A rolling restart stamps the pod template; a node-by-node restart replaces the pods after
  // the ConfigMap was written. The later of the two is what every agent must be newer than.
  const restart = [stamp, written].filter((t): t is string => t !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
  const agentPods = byNode(objectsOfKind(pods, 'Pod', Pod));
  if (ds && agentPods.length < desired) out.problems.push(`${agentPods.length} agent pods for ${desired} scheduled`);
  for (const p of agentPods) {
    const node = p.spec?.nodeName ?? '?';
    const started = p.metadata.creationTimestamp ?? '';
    out.agents.push({ pod: p.metadata.name, node, started });
    const ready = p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (!ready) out.problems.push(`${p.metadata.name} on ${node} is not running and ready (${p.status?.phase ?? 'no phase'})`);
    if (restart && Date.parse(started) < Date.parse(restart)) out.problems.push(`${p.metadata.name} on ${node} started ${started || '(unknown)'}, before ${restart === stamp ? 'the restart' : 'cilium-config was written'} at ${restart}: it runs with the old configuration`);
  }
  out.ok = out.problems.length === 0;
  out.evidence = out.ok
    ? `cilium-config has ${carried}; ds/cilium rolled out (${s.updatedNumberScheduled ?? 0}/${desired} updated); ${agentPods.length} agent pods started ${restart ? `after ${restart === stamp ? 'the restart' : 'cilium-config was written'} at ${restart}` : '(no restart stamp, no ConfigMap write time)'}`
    : out.problems.join('; ');
  return out;
}

export const AgentConfigVerdict = z.object({ ok: z.boolean(), problems: z.array(z.string()), evidence: z.string() });
export type AgentConfigVerdict = z.infer<typeof AgentConfigVerdict>;

/** Each agent pod's own status shows every key that has a status field, with the new value. */
export function evaluateAgentStatus(spec: ChangeSpec, status: unknown, pods: unknown[]): AgentConfigVerdict {
  const want = wanted(spec);
  if (!want) return { ok: true, problems: [], evidence: 'no ciliumConfig change' };
  const perAgent = StatusDocument.safeParse(status).data?.cilium_status ?? {};
  const agentPods = byNode(objectsOfKind(pods, 'Pod', Pod));
  const shown = Object.entries(want.settings).flatMap(([key, value]) => {
    const e = expectedInStatus(key, value);
    return e ? [{ key, ...e }] : [];
  });
  const unshown = Object.keys(want.settings).filter((k) => !shown.some((s) => s.key === k));
  const problems: string[] = [];
  if (agentPods.length === 0) problems.push('no agent pod to ask');
  for (const p of agentPods) {
    const where = `${p.spec?.nodeName ?? '?'} (${p.metadata.name})`;
    const own = perAgent[p.metadata.name];
    if (own === undefined) {
      problems.push(`${where}: no status from this agent in cilium status`);
      continue;
    }
    const state = statusValue(own, ['cilium', 'state']);
    if (state !== 'Ok') problems.push(`${where}: agent state ${state ?? 'unknown'}`);
    for (const s of shown) {
      const actual = statusValue(own, s.path);
      if (actual !== s.shows) problems.push(`${where}: ${s.key} shows ${actual ?? '(nothing)'} in ${s.path.join('.')}, expected ${s.shows}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems, evidence: problems.join('; ') };
  const nodes = agentPods.map((p) => p.spec?.nodeName ?? p.metadata.name).sort().join(', ');
  const seen = shown.map((s) => `${s.key}=${s.shows}`).join(', ');
  const rest = unshown.length > 0 ? `; ${unshown.join(', ')} ${unshown.length === 1 ? 'has' : 'have'} no status field (the agents started after the change read ${unshown.length === 1 ? 'it' : 'them'})` : '';
  return { ok: true, problems: [], evidence: `${agentPods.length} agents OK (${nodes})${seen ? `, each showing ${seen}` : ''}${rest}` };
}

const agentPodList = { group: 'core', kind: 'Pod', namespace: 'cilium', labelSelector: 'k8s-app=cilium' } as const;

/** cilium-config carries the values, ds/cilium rolled out, every agent pod newer than the restart. */
export const agentsRestartedCheck: ObjectsCheck = {
  type: 'objects',
  id: 'cilium-agents-restarted',
  when: 'present',
  lists: [{ group: 'apps', kind: 'DaemonSet', namespace: 'cilium' }, agentPodList, { group: 'core', kind: 'ConfigMap', namespace: 'cilium' }],
  settleSeconds: 30,
  evaluate: (spec, [daemonSets = [], pods = [], configMaps = []]) => {
    const v = evaluateAgentsRestarted(spec, daemonSets, pods, configMaps);
    return { ok: v.ok, evidence: v.evidence };
  },
};

/** Every agent's own status shows the new values. */
export const agentConfigCheck: CiliumStatusCheck = {
  type: 'cilium-status',
  id: 'cilium-agent-config',
  when: 'present',
  lists: [agentPodList],
  evaluate: (spec, status, [pods = []]) => {
    const v = evaluateAgentStatus(spec, status, pods);
    return { ok: v.ok, evidence: v.evidence };
  },
};

export const ciliumConfigVerify: VerifyPart = { checks: [agentsRestartedCheck, agentConfigCheck] };
