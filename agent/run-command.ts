import type { ApicClient } from './apic/client.js';
import type { CiliumTarget, ClusterClient } from './cluster/index.js';
import type { RunCommand } from './command-context.js';
import { aciApply } from './commands/aci-apply.js';
import { aciCollect } from './commands/aci-collect.js';
import { aciSnapshot } from './commands/aci-snapshot.js';
import { clusterApply } from './commands/cluster-apply.js';
import { clusterCollect } from './commands/cluster-collect.js';
import { rollback } from './commands/rollback.js';
import { verify } from './commands/verify.js';
import type { Scopes } from './scope.js';
import { checkSpecSecrets, type SecretValues } from './secret-values.js';

// Dispatches a validated command to its implementation with the clients of the named fabric
// and cluster. Only configured targets exist here; the worker already refused the others.

export interface Targets {
  apic(fabric: string): ApicClient;
  cluster(cluster: string): { client: ClusterClient; cilium: CiliumTarget };
  /** The values of the secret references plans name (agent config `secrets`). */
  secrets?: SecretValues;
}

export function commandRunner(targets: Targets, scopes: Scopes): RunCommand {
  return async (command, ctx) => {
    // A spec naming a secret this agent lacks fails at gather-facts, before any plan or write.
    if (command.type === 'aci.collect' || command.type === 'cluster.collect') checkSpecSecrets(command.spec, targets.secrets);
    switch (command.type) {
      case 'aci.collect':
        return aciCollect(targets.apic(command.fabric), command, scopes.fabric(command.fabric), ctx);
      case 'aci.snapshot':
        return aciSnapshot(targets.apic(command.fabric), command, ctx);
      case 'aci.apply':
        return aciApply(targets.apic(command.fabric), command, ctx, targets.secrets);
      case 'cluster.collect': {
        const c = targets.cluster(command.cluster);
        return clusterCollect(c.client, c.cilium, command, ctx);
      }
      case 'cluster.apply':
      {
        const c = targets.cluster(command.cluster);
        return clusterApply(c.client, c.cilium, command, ctx, targets.secrets);
      }
      case 'verify': {
        const c = targets.cluster(command.cluster);
        return verify(targets.apic(command.fabric), c.client, c.cilium, command, ctx);
      }
      case 'rollback':
      {
        const c = targets.cluster(command.cluster);
        return rollback(targets.apic(command.fabric), c.client, c.cilium, command, ctx, targets.secrets);
      }
    }
  };
}
