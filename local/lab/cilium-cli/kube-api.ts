import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ChangeflowError } from '../../../shared/errors.js';
import type { ClusterAccess } from './kubeconfig.js';

// Read-only Kubernetes API access the way the kubeconfig describes it: @kubernetes/client-node
// applies the context's CA, client certificate, TLS options and credentials (token, basic, exec
// plugin) to each request, as it does for the agent. The lab `cilium` needs GETs only.

export class KubeApiError extends ChangeflowError {
  override readonly name = 'KubeApiError' as const;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface KubeApi {
  get(path: string): Promise<unknown>;
  /** undefined on 404 (a kind the cluster does not serve, an object that is not there). */
  find(path: string): Promise<unknown>;
  /** The items of a list, [] when the resource is not served. */
  list(path: string): Promise<unknown[]>;
}

async function fetchJson(access: ClusterAccess, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, access.server);
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json', 'user-agent': 'cilium-cli/v0.19.7 (changeflow lab)' }, timeout: 10_000 };
  await access.kubeConfig.applyToHTTPSOptions(options);
  // client-node builds an https.Agent from those options; a plain-HTTP server takes the headers only.
  if (url.protocol !== 'https:') delete options.agent;
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req = url.protocol === 'https:' ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${access.server} within 10s`)));
    req.on('error', (err) => reject(new KubeApiError(`cannot reach the Kubernetes API at ${access.server} (context ${access.context}): ${err.message}`)));
    req.end();
  });
}

export function kubeApi(access: ClusterAccess): KubeApi {
  const get = async (path: string, allowMissing: boolean): Promise<unknown> => {
    const { status, body } = await fetchJson(access, path);
    if (status === 404 && allowMissing) return undefined;
    if (status !== 200) {
      const message = /"message":"([^"]*)"/.exec(body)?.[1] ?? body.slice(0, 200);
      throw new KubeApiError(`GET ${path} on ${access.server} answered ${status}: ${message}`, status);
    }
    try {
      return JSON.parse(body) as unknown;
    } catch (err) {
      throw new KubeApiError(`GET ${path} answered 200 with a body that is not JSON (${(err as Error).message})`, status);
    }
  };
  return {
    get: (path) => get(path, false),
    find: (path) => get(path, true),
    list: async (path) => {
      const body = (await get(path, true)) as { items?: unknown } | undefined;
      return Array.isArray(body?.items) ? body.items : [];
    },
  };
}
