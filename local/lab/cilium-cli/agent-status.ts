import { AgentConfigs, type AgentConfig } from '../world/agent-configs.js';

// What each agent reports about its datapath in `cilium status -o json` (cilium-cli asks every
// agent pod for its models.StatusResponse and files it under cilium_status[<pod>]): the
// kube-proxy replacement mode and NodePort features, and the routing modes — derived from the
// configuration that agent started with (the lab world knows it; GET /world/agents).

const upper = new Set(['snat', 'dsr', 'vxlan']);

/** `maglev` → `Maglev`, `best-effort` → `Best-Effort`, `dsr` → `DSR`, as the agent prints them. */
function shown(value: string | undefined, fallback: string): string {
  return (value ?? fallback).split('-').map((w) => (upper.has(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1))).join('-');
}

export function datapathStatus(config: Readonly<Record<string, string>>): Record<string, unknown> {
  const tunnel = (config['routing-mode'] ?? 'tunnel') === 'tunnel';
  return {
    'kube-proxy-replacement': {
      mode: shown(config['kube-proxy-replacement'], 'false'),
      features: {
        nodePort: {
          enabled: true,
          mode: shown(config['bpf-lb-mode'], 'snat'),
          algorithm: shown(config['bpf-lb-algorithm'], 'random'),
          acceleration: shown(config['bpf-lb-acceleration'], 'disabled'),
          portMin: 30000,
          portMax: 32767,
        },
      },
    },
    routing: {
      'intra-host-routing-mode': config['enable-host-legacy-routing'] === 'true' ? 'Legacy' : 'BPF',
      'inter-host-routing-mode': tunnel ? 'Tunnel' : 'Native',
      ...(tunnel ? { 'tunnel-protocol': shown(config['tunnel-protocol'], 'vxlan') } : {}),
    },
  };
}

/** The world's record of what each agent started with; undefined when there is no world to ask. */
export async function agentConfigs(worldUrl: string | undefined): Promise<Map<string, AgentConfig> | undefined> {
  if (!worldUrl) return undefined;
  const res = await fetch(`${worldUrl}/world/agents`);
  if (res.status !== 200) throw new Error(`the lab world answered ${res.status} for GET /world/agents`);
  return new Map(AgentConfigs.parse(await res.json()).agents.map((a) => [a.pod, a]));
}
