import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

// A kubeconfig for the lab cluster: HTTPS with the lab certificate trusted and a bearer token, one context named after the
// cluster (ChangeSpec target.cluster is a kube context name known to the agent).
export function kubeconfigYaml(opts: { cluster: string; server: string; token: string; caCert?: string; namespace?: string }): string {
  const context: Record<string, string> = { cluster: opts.cluster, user: `${opts.cluster}-admin` };
  if (opts.namespace) context['namespace'] = opts.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: opts.cluster,
        cluster: opts.caCert ? { server: opts.server, 'certificate-authority-data': Buffer.from(opts.caCert).toString('base64') } : { server: opts.server },
      },
    ],
    users: [{ name: `${opts.cluster}-admin`, user: { token: opts.token } }],
    contexts: [{ name: opts.cluster, context }],
    'current-context': opts.cluster,
  });
}

export async function writeKubeconfig(path: string, yaml: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, yaml, { mode: 0o600 });
}
