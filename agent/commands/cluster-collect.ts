import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { ClusterClient, CiliumTarget } from '../cluster/index.js';
import { ciliumStatusJson, NotFound } from '../cluster/index.js';
import type { CommandContext } from '../command-context.js';
import { clusterCollectQueries } from '../../shared/cilium/facts/queries.js';
import type { ChangeSpec } from '../../shared/spec/index.js';

// The cluster's half of gather-facts: the objects the change touches and the nodes, CRDs and
// config the prechecks read, as `kubectl get -o json` would show them, plus `cilium status`. The
// queries are built here from the spec and the configured Cilium namespace, never from the task.
export async function clusterCollect(
  client: ClusterClient,
  cilium: CiliumTarget,
  command: { spec: ChangeSpec; ciliumStatus: boolean },
  ctx: CommandContext,
): Promise<Extract<CommandResult, { type: 'cluster.collect' }>> {
  // `cilium status` asks the agents themselves (their errors are nowhere in the API objects): it
  // runs while the objects are read rather than after them.
  const status = command.ciliumStatus ? ciliumStatusJson(cilium, { waitSeconds: 30, signal: ctx.signal }) : undefined;
  // Awaited below, where its failure is reported; this only keeps a failure of the reads first
  // from leaving the status run's own rejection unhandled.
  status?.catch(() => undefined);
  const objects: unknown[] = [];
  for (const q of clusterCollectQueries(command.spec, cilium.namespace)) {
    ctx.checkpoint(`collect ${q.kind}`);
    // The Cilium version is not known yet: try each apiVersion until one is served. A kind no
    // version serves (CRD not installed) is simply absent, and the prechecks report it.
    for (const apiVersion of [q.apiVersion, ...(q.fallbackApiVersions ?? [])]) {
      try {
        if (q.name) {
          const obj = await client.tryRead({ apiVersion, kind: q.kind, name: q.name, namespace: q.namespace });
          if (obj) objects.push(obj);
        } else {
          // Keep the list as the API server returns it, so an empty answer still says "none exist".
          const items = await client.list(apiVersion, q.kind, { namespace: q.namespace, labelSelector: q.labelSelector });
          objects.push({ apiVersion, kind: `${q.kind}List`, metadata: {}, items });
        }
        break;
      } catch (err) {
        if (!(err instanceof NotFound)) throw err;
      }
    }
  }
  if (!status) return { type: 'cluster.collect', objects };
  const run = await status;
  try {
    return { type: 'cluster.collect', objects, ciliumStatus: JSON.parse(run.stdout) as unknown };
  } catch {
    return { type: 'cluster.collect', objects, ciliumStatusError: `cilium status exited ${run.exitCode ?? run.signal}: ${(run.stderr || run.stdout).slice(0, 2000)}` };
  }
}
