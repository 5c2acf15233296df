import { ApiException } from '@kubernetes/client-node';
import { ApplyConflict, ClusterRequestFailed, ClusterUnavailable, InvalidObject, NotFound } from './errors.js';
import { KubeStatus } from './kube-object.js';

// Turns what @kubernetes/client-node throws (ApiException with a Status body as text, node-fetch
// FetchError for sockets, plain Errors from discovery) into the adapter's named errors.
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN', 'CERT_HAS_EXPIRED']);

function statusOf(body: unknown): KubeStatus | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined; // not a Status: the caller falls back to the HTTP code
    }
  }
  const parsed = KubeStatus.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function mapClusterError(err: unknown, doing: string): Error {
  if (err instanceof ApiException) {
    const code = Number(err.code);
    const status = statusOf(err.body);
    const message = status?.message ?? `HTTP ${code}`;
    const causes = status?.details?.causes ?? [];
    if (code === 409 && status?.reason === 'Conflict' && causes.some((c) => c.type === 'FieldManagerConflict')) {
      const conflicts = causes
        .filter((c) => c.type === 'FieldManagerConflict')
        .map((c) => ({ manager: (c.message ?? '').replace(/^conflict with /, ''), field: c.field ?? '' }));
      return new ApplyConflict(
        `${doing}: ${message}. Another field manager owns these fields; apply with force only if the change is meant to take them over`,
        conflicts,
      );
    }
    // client-node resolves kinds through discovery first; a 404 there means the version is not served.
    if (code === 404 && err.message.startsWith('Failed to fetch resource metadata')) {
      return new InvalidObject(`${doing}: the cluster does not serve this API version (discovery answered 404); check the Cilium version and its CRDs`);
    }
    if (code === 404) return new NotFound(`${doing}: ${message}`);
    if (code === 400 || code === 415 || code === 422) {
      return new InvalidObject(`${doing}: the cluster rejected the object: ${message}`, causes.map((c) => ({ field: c.field, message: c.message ?? '' })));
    }
    if (code >= 500 || code === 429) return new ClusterUnavailable(`${doing}: the API server answered ${code}: ${message}; retry later`);
    return new ClusterRequestFailed(`${doing}: the API server answered ${code} ${status?.reason ?? ''}: ${message}`, code, status?.reason);
  }
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  if ((typeof e.code === 'string' && networkCodes.has(e.code)) || e.name === 'FetchError') {
    return new ClusterUnavailable(`${doing}: cannot reach the API server (${String(e.message)}); check the kubeconfig server and the network path`);
  }
  if (err instanceof Error && /Unrecognized API version and kind/.test(err.message)) {
    return new InvalidObject(`${doing}: ${err.message}; the cluster does not serve that kind at that version (check the Cilium version and its CRDs)`);
  }
  return err instanceof Error ? err : new Error(`${doing}: ${String(err)}`);
}
