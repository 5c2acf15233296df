import type { Rollout } from './cluster-snapshot.js';

// Agents read cilium-config when they start, so a changed key takes effect only after ds/cilium
// has rolled out again. The tracker remembers the config the agents started with: it is taken
// when a new generation of the DaemonSet has finished rolling out, and compared with the ConfigMap
// now. The keys that differ are "pending" until the next completed rollout.

export interface AgentView {
  config: Record<string, string>;
  agents?: Rollout;
}

function rolledOut(r: Rollout): boolean {
  return r.observedGeneration >= r.generation && r.updated >= r.desired;
}

export class RolloutTracker {
  private applied: Record<string, string>;
  private appliedGeneration: number;

  constructor(initial: AgentView) {
    this.applied = { ...initial.config };
    this.appliedGeneration = initial.agents?.generation ?? 0;
  }

  /** Call after every cluster change. */
  observe(view: AgentView): void {
    const agents = view.agents;
    if (!agents || agents.generation === this.appliedGeneration || !rolledOut(agents)) return;
    this.applied = { ...view.config };
    this.appliedGeneration = agents.generation;
  }

  /** cilium-config keys whose current value the agents do not run with yet, sorted. */
  pendingKeys(config: Record<string, string>): string[] {
    const keys = new Set([...Object.keys(config), ...Object.keys(this.applied)]);
    return [...keys].filter((k) => config[k] !== this.applied[k]).sort();
  }
}
