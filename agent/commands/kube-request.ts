import { CiliumNotRunnable, restartNodeByNode, type AgentGate, type ClusterClient } from '../cluster/index.js';
import type { KubeRequest } from '../../shared/plan/index.js';
import type { KubeObject } from '../cluster/index.js';

// One cluster request: server-side apply with changeflow's field manager (dry-run first, so the
// API server validates before anything is stored, unless the apply's preflight already dry-ran
// it: `validated`), delete, or a rolling restart waited out.
/** Returns the object a server-side apply answered with (the stored object, as a GET would read it). */
export async function sendKubeRequest(client: ClusterClient, request: KubeRequest, rolloutTimeoutMs: number, gate?: AgentGate, validated = false): Promise<KubeObject | undefined> {
  switch (request.method) {
    case 'apply':
      return validated
        ? client.applyServerSide(request.manifest as KubeObject, { force: request.force })
        : client.applyWithDryRun(request.manifest as KubeObject, { force: request.force });
    case 'delete':
      await client.delete(request.ref);
      return;
    case 'restart': {
      const kind = request.ref.kind === 'Deployment' ? 'Deployment' : 'DaemonSet';
      await client.restartWorkload(kind, request.ref.namespace ?? 'kube-system', request.ref.name);
      await client.waitForRollout(kind, request.ref.namespace ?? 'kube-system', request.ref.name, { timeoutMs: rolloutTimeoutMs, intervalMs: 500 });
      return;
    }
    case 'restart-nodes':
      if (!gate) throw new CiliumNotRunnable(`a node-by-node restart of ${request.ref.name} needs the cluster's cilium CLI for its health gate`);
      await restartNodeByNode(client, request.ref, request.podSelector, { timeoutMs: rolloutTimeoutMs, gate });
      return;
  }
}
