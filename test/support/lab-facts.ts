import { createApicClient } from '../../agent/apic/client.js';
import { createClusterClient } from '../../agent/cluster/index.js';
import type { CommandContext } from '../../agent/command-context.js';
import { aciApply } from '../../agent/commands/aci-apply.js';
import { aciCollect } from '../../agent/commands/aci-collect.js';
import { clusterApply } from '../../agent/commands/cluster-apply.js';
import { clusterCollect } from '../../agent/commands/cluster-collect.js';
import { createAgentLog } from '../../agent/log.js';
import { Redactor } from '../../shared/runtime/redact.js';
import { startApicLab, type ApicLab } from '../../local/lab/apic/lab.js';
import { startKubernetesLab, type KubernetesLab } from '../../local/lab/kubernetes/lab.js';
import type { AgentTask, CommandResult } from '../../shared/agent-protocol/index.js';

// Real facts for scripted-agent tests: the gather-facts commands run against the lab emulators
// with the agent's own collectors, so prechecks and plans see what a real fabric would show.

export interface LabFacts {
  readonly apic: ApicLab;
  readonly kubernetes: KubernetesLab;
  gather(task: AgentTask): Promise<CommandResult[]>;
  /** Runs an apply task's ops against the labs with the agent's own apply commands (written and read back). */
  apply(task: AgentTask): Promise<CommandResult[]>;
  close(): Promise<void>;
}

export async function startLabFacts(): Promise<LabFacts> {
  const apic = await startApicLab({});
  const kubernetes = await startKubernetesLab({});
  const apicClient = createApicClient({ url: apic.url, username: apic.username, password: apic.password });
  const cluster = createClusterClient({ kubeconfigPath: kubernetes.kubeconfigPath });
  const log = createAgentLog({ redactor: new Redactor(), level: 'error', agent: 'test', write: () => undefined });
  const contextOf = (task: AgentTask): CommandContext => ({ signal: new AbortController().signal, deadline: new Date(Date.now() + 60_000), task, log, checkpoint: () => undefined });
  return {
    apic,
    kubernetes,
    async apply(task) {
      const ctx = contextOf(task);
      const results: CommandResult[] = [];
      for (const command of task.commands) {
        if (command.type === 'aci.apply') results.push(await aciApply(apicClient, command, ctx));
        // No cilium binary: ops that wait on Cilium's agents (a cilium-config restart) are not for these labs.
        if (command.type === 'cluster.apply') results.push(await clusterApply(cluster, { binaryPath: '/nonexistent' }, command, ctx));
      }
      return results;
    },
    async gather(task) {
      const ctx = contextOf(task);
      const results: CommandResult[] = [];
      for (const command of task.commands) {
        if (command.type === 'aci.collect') results.push(await aciCollect(apicClient, command, { tenants: [command.spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' }, ctx));
        // No cilium binary here, and gather-facts runs no `cilium status` anyway: these tests
        // add the lab's own summary below, so the status precheck reads the agents' report.
        if (command.type === 'cluster.collect') {
          const r = await clusterCollect(cluster, { binaryPath: '/nonexistent' }, { ...command, ciliumStatus: false }, ctx);
          results.push({ ...r, ciliumStatus: healthyCiliumStatus });
        }
      }
      return results;
    },
    async close() {
      await apic.close();
      await kubernetes.close();
    },
  };
}

/** `cilium status -o json` of a healthy 5-node cluster (shape of cilium-cli's status.Status). */
export const healthyCiliumStatus = {
  image_count: { cilium: { 'quay.io/cilium/cilium:v1.18.2': 5 }, 'cilium-operator': { 'quay.io/cilium/operator-generic:v1.18.2': 1 } },
  phase_count: { cilium: { Running: 5 }, 'cilium-operator': { Running: 1 } },
  pod_state: {
    cilium: { Type: 'DaemonSet', Desired: 5, Ready: 5, Available: 5, Unavailable: 0 },
    'cilium-operator': { Type: 'Deployment', Desired: 1, Ready: 1, Available: 1, Unavailable: 0 },
  },
  pods_count: { all: 12, by_cilium: 12 },
  errors: {},
  collection_errors: null,
  helm_chart_version: '1.18.2',
};
