// Where an agent's own status (`cilium-dbg status -o json`, models.StatusResponse, which
// `cilium status -o json` gathers per agent pod under cilium_status) shows a cilium-config key,
// and how the agent spells the value there (cilium api/v1 models: KubeProxyReplacement,
// KubeProxyReplacementFeaturesNodePort, Routing). Keys not listed have no field of their own;
// for them, an agent started after the change is the evidence.

interface Shown {
  readonly path: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

const nodePort = ['kube-proxy-replacement', 'features', 'nodePort'];

export const statusFields: Readonly<Record<string, Shown>> = {
  'kube-proxy-replacement': { path: ['kube-proxy-replacement', 'mode'], values: { true: 'True', false: 'False', strict: 'Strict', partial: 'Partial', probe: 'Probe', disabled: 'Disabled' } },
  'bpf-lb-mode': { path: [...nodePort, 'mode'], values: { snat: 'SNAT', dsr: 'DSR', hybrid: 'Hybrid' } },
  'bpf-lb-algorithm': { path: [...nodePort, 'algorithm'], values: { random: 'Random', maglev: 'Maglev' } },
  'bpf-lb-acceleration': { path: [...nodePort, 'acceleration'], values: { disabled: 'Disabled', native: 'Native', 'best-effort': 'Best-Effort', generic: 'Generic' } },
  'routing-mode': { path: ['routing', 'inter-host-routing-mode'], values: { native: 'Native', tunnel: 'Tunnel' } },
  'tunnel-protocol': { path: ['routing', 'tunnel-protocol'], values: { vxlan: 'VXLAN', geneve: 'Geneve' } },
};

/** What the agent's status should say for key=value, or undefined when it has no field for it. */
export function expectedInStatus(key: string, value: string): { path: readonly string[]; shows: string } | undefined {
  const field = statusFields[key];
  const shows = field?.values[value];
  return field && shows ? { path: field.path, shows } : undefined;
}

/** The string at `path` inside one agent's status, if any. */
export function statusValue(status: unknown, path: readonly string[]): string | undefined {
  let cur: unknown = status;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' ? cur : undefined;
}
