import * as z from '../../zod.js';
import { InvalidInput } from '../../errors.js';
import { jsonInput } from './json-input.js';

// `cilium status -o json` (cilium-cli). Its Go structs have no json tags on the inner types, so
// pod_state entries use capitalised keys (Desired, Ready) and older CLIs capitalise the top level
// too (PodState, Errors). Go `error` values marshal as `{}`; such entries still count as errors.

export const CiliumStatusSummary = z.object({
  healthy: z.boolean(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
  /** ds/cilium pods. */
  desired: z.optional(z.number()),
  ready: z.optional(z.number()),
  operator: z.optional(z.object({ desired: z.number(), ready: z.number() })),
  /** Images the agents run, from image_count. */
  images: z.array(z.string()),
});
export type CiliumStatusSummary = z.infer<typeof CiliumStatusSummary>;

const PodState = z.looseObject({ Desired: z.optional(z.number()), Ready: z.optional(z.number()), Available: z.optional(z.number()), Unavailable: z.optional(z.number()) });
const ErrorCount = z.looseObject({ Errors: z.nullish(z.array(z.unknown())), Warnings: z.nullish(z.array(z.unknown())), Disabled: z.optional(z.boolean()) });
const SubsystemStatus = z.looseObject({ state: z.optional(z.string()), msg: z.optional(z.string()) });

const StatusJson = z.looseObject({
  image_count: z.nullish(z.record(z.string(), z.record(z.string(), z.number()))),
  pod_state: z.nullish(z.record(z.string(), PodState)),
  cilium_status: z.nullish(z.record(z.string(), z.nullable(z.looseObject({ cilium: z.nullish(SubsystemStatus) })))),
  errors: z.nullish(z.record(z.string(), z.nullable(z.record(z.string(), z.nullable(ErrorCount))))),
  collection_errors: z.nullish(z.array(z.unknown())),
  config_errors: z.nullish(z.array(z.unknown())),
});

const camelKeys: Record<string, string> = {
  ImageCount: 'image_count', PodState: 'pod_state', CiliumStatus: 'cilium_status', Errors: 'errors', CollectionErrors: 'collection_errors',
};

function errorText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && Object.keys(value).length > 0) return JSON.stringify(value);
  return '(error without message: the CLI serialised a Go error as {})';
}

export function parseCiliumStatusJson(input: unknown): CiliumStatusSummary {
  const raw = jsonInput(input, 'cilium status -o json output');
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidInput('expected the JSON object `cilium status -o json` prints (pod_state, errors, cilium_status, …)');
  }
  const normalised: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) normalised[camelKeys[key] ?? key] = value;
  const parsed = StatusJson.safeParse(normalised);
  if (!parsed.success) {
    throw new InvalidInput(`cilium status JSON has an unexpected shape: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const status = parsed.data;
  const errors: string[] = [];
  const warnings: string[] = [];
  const reported = new Set<string>();
  for (const [deployment, pods] of Object.entries(status.errors ?? {})) {
    for (const [pod, count] of Object.entries(pods ?? {})) {
      if (!count) continue;
      if ((count.Errors ?? []).length > 0 || (count.Warnings ?? []).length > 0) reported.add(pod);
      for (const e of count.Errors ?? []) errors.push(`${deployment}/${pod}: ${errorText(e)}`);
      for (const w of count.Warnings ?? []) warnings.push(`${deployment}/${pod}: ${errorText(w)}`);
    }
  }
  // The CLI folds per-pod agent state into `errors`; read it directly only when it did not.
  for (const [pod, response] of Object.entries(status.cilium_status ?? {})) {
    const state = response?.cilium?.state?.toLowerCase();
    if (reported.has(pod) || !state) continue;
    if (state === 'failure') errors.push(`cilium/${pod}: Cilium: ${response?.cilium?.msg ?? 'failure'}`);
    if (state === 'warning') warnings.push(`cilium/${pod}: Cilium: ${response?.cilium?.msg ?? 'warning'}`);
  }
  for (const e of status.collection_errors ?? []) errors.push(`collection: ${errorText(e)}`);
  for (const e of status.config_errors ?? []) errors.push(`config: ${errorText(e)}`);

  const agents = status.pod_state?.['cilium'];
  const operator = status.pod_state?.['cilium-operator'];
  if (!agents) errors.push('pod_state has no entry for DaemonSet cilium: the agents were not found');
  else if ((agents.Desired ?? 0) === 0 || (agents.Ready ?? 0) < (agents.Desired ?? 0)) {
    errors.push(`DaemonSet cilium: ${agents.Ready ?? 0}/${agents.Desired ?? 0} agents ready`);
  }
  if (operator && (operator.Ready ?? 0) < (operator.Desired ?? 0)) {
    errors.push(`Deployment cilium-operator: ${operator.Ready ?? 0}/${operator.Desired ?? 0} replicas ready`);
  }
  return {
    healthy: errors.length === 0,
    errors,
    warnings,
    ...(agents ? { desired: agents.Desired ?? 0, ready: agents.Ready ?? 0 } : {}),
    ...(operator ? { operator: { desired: operator.Desired ?? 0, ready: operator.Ready ?? 0 } } : {}),
    images: Object.keys(status.image_count?.['cilium'] ?? {}).sort(),
  };
}

/** True when a JSON document looks like `cilium status -o json` output rather than a Kubernetes object. */
export function looksLikeCiliumStatus(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !keys.includes('kind') && keys.some((k) => k === 'pod_state' || k === 'PodState' || k === 'cilium_status' || k === 'CiliumStatus');
}
