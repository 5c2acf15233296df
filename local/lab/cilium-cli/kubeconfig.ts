import { readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import * as z from 'zod';
import { ChangeflowError } from '../../../shared/errors.js';

// How the lab `cilium` finds its cluster, like the real one: --kubeconfig, else KUBECONFIG (first
// file), else ~/.kube/config; --context, else current-context. The lab world's URL travels in the
// same file as a cluster extension (kubectl ignores extensions it does not know), so anything that
// has the lab kubeconfig reaches the world too.

export const worldExtensionName = 'changeflow.io/lab-world';

const NamedExtension = z.looseObject({ name: z.string(), extension: z.unknown() });
const Kubeconfig = z.looseObject({
  'current-context': z.string().optional(),
  clusters: z.array(z.looseObject({
    name: z.string(),
    cluster: z.looseObject({
      server: z.string(),
      'certificate-authority-data': z.string().optional(),
      'insecure-skip-tls-verify': z.boolean().optional(),
      extensions: z.array(NamedExtension).optional(),
    }),
  })).default([]),
  users: z.array(z.looseObject({ name: z.string(), user: z.looseObject({ token: z.string().optional() }) })).default([]),
  contexts: z.array(z.looseObject({ name: z.string(), context: z.looseObject({ cluster: z.string(), user: z.string().optional(), namespace: z.string().optional() }) })).default([]),
});
type Kubeconfig = z.infer<typeof Kubeconfig>;

const WorldExtension = z.looseObject({ url: z.string().url() });

export interface ClusterAccess {
  context: string;
  cluster: string;
  server: string;
  token?: string;
  caCert?: string;
  insecure: boolean;
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

async function load(path: string): Promise<Kubeconfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new KubeconfigUnusable(`cannot read kubeconfig ${path}: ${(err as Error).message}; pass --kubeconfig or set KUBECONFIG`);
  }
  const parsed = Kubeconfig.safeParse(parse(text));
  if (!parsed.success) throw new KubeconfigUnusable(`${path} is not a kubeconfig: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export async function clusterAccess(path: string, contextFlag: string | undefined, env: NodeJS.ProcessEnv): Promise<ClusterAccess> {
  const config = await load(path);
  const contextName = contextFlag ?? config['current-context'];
  const context = config.contexts.find((c) => c.name === contextName);
  if (!contextName || !context) {
    throw new KubeconfigUnusable(`context "${contextName ?? ''}" not found in ${path}; known contexts: ${config.contexts.map((c) => c.name).join(', ') || '(none)'}`);
  }
  const cluster = config.clusters.find((c) => c.name === context.context.cluster);
  if (!cluster) throw new KubeconfigUnusable(`context ${contextName} names cluster ${context.context.cluster}, which ${path} does not define`);
  const user = config.users.find((u) => u.name === context.context.user);
  const ext = cluster.cluster.extensions?.find((e) => e.name === worldExtensionName);
  const worldUrl = env['CHANGEFLOW_LAB_WORLD_URL'] ?? WorldExtension.safeParse(ext?.extension).data?.url;
  const ca = cluster.cluster['certificate-authority-data'];
  return {
    context: contextName,
    cluster: cluster.name,
    server: cluster.cluster.server,
    token: user?.user.token,
    caCert: ca ? Buffer.from(ca, 'base64').toString('utf8') : undefined,
    insecure: cluster.cluster['insecure-skip-tls-verify'] ?? false,
    worldUrl,
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
