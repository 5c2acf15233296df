import * as z from '../../shared/zod.js';
import { ciliumStatusJson, InvalidObject, type AgentGate, type CiliumTarget, type ClusterClient, type KubeObject } from '../cluster/index.js';
import { listCilium } from './verify.js';

// The health gate of a node-by-node agent restart (issue 15 §4): `cilium status` (which asks
// every agent pod for its own status) shows the node's new agent as Ok, and the node's endpoints
// have been regenerated — every CiliumEndpoint on that node (status.networking.node, its IP) is
// `ready` again.

const Status = z.looseObject({ cilium_status: z.nullish(z.record(z.string(), z.looseObject({ cilium: z.optional(z.looseObject({ state: z.optional(z.string()), msg: z.optional(z.string()) })) }))) });
const Endpoint = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.optional(z.string()) }),
  status: z.optional(z.looseObject({ state: z.optional(z.string()), networking: z.optional(z.looseObject({ node: z.optional(z.string()) })) })),
});

export function ciliumAgentGate(cluster: ClusterClient, cilium: CiliumTarget, signal?: AbortSignal): AgentGate {
  return async (pod) => {
    const run = await ciliumStatusJson(cilium, { waitSeconds: 30, signal });
    let doc: unknown;
    try {
      doc = JSON.parse(run.stdout) as unknown;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      return `cilium status gave no JSON (exit ${run.exitCode ?? run.signal}): ${run.stderr.trim().slice(0, 200)}`;
    }
    const own = Status.safeParse(doc).data?.cilium_status?.[pod.name]?.cilium;
    if (own?.state !== 'Ok') return `cilium status shows ${pod.name} as ${own?.state ?? 'missing'}${own?.msg ? ` (${own.msg})` : ''}`;
    const endpoints = (await endpointsOf(cluster)).flatMap((o) => {
      const e = Endpoint.safeParse(o);
      return e.success && pod.hostIP !== undefined && e.data.status?.networking?.node === pod.hostIP ? [e.data] : [];
    });
    const waiting = endpoints.filter((e) => e.status?.state !== 'ready').map((e) => `${e.metadata.namespace ?? ''}/${e.metadata.name}=${e.status?.state ?? 'unknown'}`);
    return waiting.length > 0 ? `${waiting.length} of ${endpoints.length} endpoints on ${pod.node} not regenerated yet (${waiting.slice(0, 5).join(', ')})` : undefined;
  };
}

/** The cluster's CiliumEndpoints; none where the kind is not served (CiliumEndpointSlice mode, the lab). */
async function endpointsOf(cluster: ClusterClient): Promise<KubeObject[]> {
  try {
    return await listCilium(cluster, 'CiliumEndpoint');
  } catch (err) {
    if (err instanceof InvalidObject) return [];
    throw err;
  }
}
