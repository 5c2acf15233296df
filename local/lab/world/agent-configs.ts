import * as z from '../../../shared/zod.js';

// What each Cilium agent runs with: an agent reads cilium-config when it starts, so a pod keeps
// the configuration of the moment it was created. The tracker sees every agent pod (by uid) and
// records the ConfigMap's data when a new one appears; the pods there at the start run with the
// initial configuration. Under the fault `cilium.config=stale` a new pod keeps the configuration
// of the pod it replaced on that node — an agent that restarted but did not pick the change up.

export const AgentConfig = z.object({ pod: z.string(), node: z.string(), uid: z.string(), config: z.record(z.string(), z.string()) });
export type AgentConfig = z.infer<typeof AgentConfig>;

export const AgentConfigs = z.object({ agents: z.array(AgentConfig) });

export interface AgentPodView {
  pod: string;
  node: string;
  uid: string;
}

export class AgentConfigTracker {
  private readonly byNode = new Map<string, AgentConfig>();

  constructor(pods: readonly AgentPodView[], config: Record<string, string>) {
    for (const p of pods) this.byNode.set(p.node, { ...p, config: { ...config } });
  }

  /** Call after every cluster change with the agent pods and cilium-config's data now. */
  observe(pods: readonly AgentPodView[], config: Record<string, string>, stale: boolean): void {
    for (const p of pods) {
      const before = this.byNode.get(p.node);
      if (before?.uid === p.uid) continue;
      this.byNode.set(p.node, { ...p, config: { ...(stale && before ? before.config : config) } });
    }
  }

  /** cilium-config keys some agent does not run with yet (it started before they changed), sorted. */
  pendingKeys(config: Record<string, string>): string[] {
    const pending = new Set<string>();
    for (const a of this.byNode.values()) {
      for (const k of new Set([...Object.keys(config), ...Object.keys(a.config)])) if (config[k] !== a.config[k]) pending.add(k);
    }
    return [...pending].sort();
  }

  /** Every node's agent, by node name. */
  agents(): AgentConfig[] {
    return [...this.byNode.values()].sort((a, b) => a.node.localeCompare(b.node));
  }
}
