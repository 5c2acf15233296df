import { KubeConfig } from '@kubernetes/client-node';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import * as z from '../../../shared/zod.js';
import { ChangeflowError } from '../../../shared/errors.js';

// How the lab `cilium` finds its cluster, like the real one: --kubeconfig, else KUBECONFIG (first
// file), else ~/.kube/config; --context, else current-context. The kubeconfig is read by
// @kubernetes/client-node, as in the agent (credentials, CA, TLS options, exec plugins). The lab
// world's URL travels in the same file as a cluster extension (kubectl and client-node ignore
// extensions they do not know), so anything that has the lab kubeconfig reaches the world too.

export const worldExtensionName = 'changeflow.io/lab-world';

const NamedExtension = z.looseObject({ name: z.string(), extension: z.unknown() });
/** Only what the world extension needs; client-node reads everything else. */
const Kubeconfig = z.looseObject({
  clusters: z._default(z.array(z.looseObject({
    name: z.string(),
    cluster: z.looseObject({ server: z.string(), extensions: z.optional(z.array(NamedExtension)) }),
  })), []),
});
type Kubeconfig = z.infer<typeof Kubeconfig>;

const WorldExtension = z.looseObject({ url: z.url() });

export interface ClusterAccess {
  context: string;
  cluster: string;
  server: string;
  /** Loaded, with `context` current: what a request needs to authenticate (kube-api.ts). */
  kubeConfig: KubeConfig;
  /** The lab world's URL (cluster extension, or CHANGEFLOW_LAB_WORLD_URL). */
  worldUrl?: string;
}

export class KubeconfigUnusable extends ChangeflowError {
  override readonly name = 'KubeconfigUnusable' as const;
}

export function kubeconfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  const fromEnv = env['KUBECONFIG']?.split(':').find((p) => p.length > 0);
  return fromEnv ?? join(homedir(), '.kube', 'config');
}

async function readKubeconfig(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new KubeconfigUnusable(`cannot read kubeconfig ${path}: ${(err as Error).message}; pass --kubeconfig or set KUBECONFIG`);
  }
}

/** The world URL recorded on `clusterName` (client-node drops cluster extensions, so read them here). */
function worldExtension(text: string, clusterName: string): string | undefined {
  const parsed = Kubeconfig.safeParse(parse(text));
  const cluster = parsed.data?.clusters.find((c) => c.name === clusterName);
  const ext = cluster?.cluster.extensions?.find((e) => e.name === worldExtensionName);
  return WorldExtension.safeParse(ext?.extension).data?.url;
}

export async function clusterAccess(path: string, contextFlag: string | undefined, env: NodeJS.ProcessEnv): Promise<ClusterAccess> {
  const text = await readKubeconfig(path);
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(text);
  } catch (err) {
    throw new KubeconfigUnusable(`${path} is not a kubeconfig: ${(err as Error).message}`);
  }
  const contextName = contextFlag ?? (kubeConfig.getCurrentContext() || undefined);
  const context = contextName ? kubeConfig.getContextObject(contextName) : null;
  if (!contextName || !context) {
    throw new KubeconfigUnusable(`context "${contextName ?? ''}" not found in ${path}; known contexts: ${kubeConfig.getContexts().map((c) => c.name).join(', ') || '(none)'}`);
  }
  kubeConfig.setCurrentContext(contextName);
  const cluster = kubeConfig.getCluster(context.cluster);
  if (!cluster) throw new KubeconfigUnusable(`context ${contextName} names cluster ${context.cluster}, which ${path} does not define`);
  return {
    context: contextName,
    cluster: cluster.name,
    server: cluster.server,
    kubeConfig,
    worldUrl: env['CHANGEFLOW_LAB_WORLD_URL'] ?? worldExtension(text, cluster.name),
  };
}

/** Records the world's URL on every cluster of a kubeconfig, in place (atomic rewrite). */
export async function addWorldExtension(path: string, worldUrl: string): Promise<void> {
  const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const config = Kubeconfig.parse(doc);
  for (const c of config.clusters) {
    const others = (c.cluster.extensions ?? []).filter((e) => e.name !== worldExtensionName);
    c.cluster.extensions = [...others, { name: worldExtensionName, extension: { url: worldUrl } }];
  }
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, stringify({ ...doc, clusters: config.clusters }), { mode: 0o600 });
  await rename(tmp, path);
}
