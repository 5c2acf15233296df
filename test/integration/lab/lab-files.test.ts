import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorldExtension, clusterAccess, kubeconfigPath } from '../../../local/lab/cilium-cli/kubeconfig.js';
import { EndpointsFileInvalid, LabEndpoints, readEndpointsFile, StackEndpoints, writeEndpoints } from '../../../local/lab/endpoints.js';

// The two files the lab hands to other processes: endpoints.json and the kubeconfig that also
// carries the world's URL.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changeflow-lab-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lab: LabEndpoints = {
  apic: { url: 'http://127.0.0.1:1001', username: 'admin', password: 'p' },
  kubernetes: { url: 'http://127.0.0.1:1002', token: 't', kubeconfig: '/x/kubeconfig' },
  servicenow: { url: 'http://127.0.0.1:1003', username: 'u', password: 'p' },
  jira: { url: 'http://127.0.0.1:1004', email: 'e@example.com', token: 't' },
  world: { url: 'http://127.0.0.1:1007' },
};

describe('endpoints.json', () => {
  it('is written atomically, owner-only, and read back as the lab part or the full stack', async () => {
    const path = await writeEndpoints(dir, lab);
    expect(path).toBe(join(dir, 'endpoints.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(await readEndpointsFile(dir, LabEndpoints)).toEqual(lab);
    await expect(readEndpointsFile(dir, StackEndpoints)).rejects.toThrow(/expected .* to hold the full stack endpoints; found api: .*restart the stack/);

    const stack: StackEndpoints = { ...lab, api: 'http://127.0.0.1:8080', sfn: 'http://127.0.0.1:1005', dynamodb: 'http://127.0.0.1:1006', webhookSecret: 's' };
    await writeEndpoints(dir, stack);
    expect(await readEndpointsFile(dir, StackEndpoints)).toEqual(stack);
    expect(await readEndpointsFile(dir, LabEndpoints)).toEqual(lab);
  });

  it('names the file and the fix when it is not JSON', async () => {
    await writeFile(join(dir, 'endpoints.json'), '{half');
    await expect(readEndpointsFile(dir, LabEndpoints)).rejects.toThrow(EndpointsFileInvalid);
  });
});

describe('kubeconfig with the world extension', () => {
  const kubeconfig = (server: string) => ['apiVersion: v1', 'kind: Config', 'clusters:', '  - name: prod-a', '    cluster:', `      server: ${server}`,
    'users:', '  - name: prod-a-admin', '    user:', '      token: abc', 'contexts:', '  - name: prod-a', '    context:', '      cluster: prod-a', '      user: prod-a-admin', 'current-context: prod-a', ''].join('\n');

  it('records the world URL on the cluster, keeps the rest, and reads it back with the access details', async () => {
    const path = join(dir, 'kubeconfig');
    await writeFile(path, kubeconfig('https://127.0.0.1:6443'));
    await addWorldExtension(path, 'http://127.0.0.1:7000');
    await addWorldExtension(path, 'http://127.0.0.1:7001');
    const access = await clusterAccess(path, undefined, {});
    expect(access).toMatchObject({ context: 'prod-a', cluster: 'prod-a', server: 'https://127.0.0.1:6443', worldUrl: 'http://127.0.0.1:7001' });
    // client-node read the credentials: a request made with this access carries the token.
    const options: { headers?: Record<string, string> } = {};
    await access.kubeConfig.applyToHTTPSOptions(options);
    expect(options.headers?.['Authorization']).toBe('Bearer abc');
    expect((await readFile(path, 'utf8')).match(/changeflow.io\/lab-world/g)).toHaveLength(1);
    expect((await clusterAccess(path, 'prod-a', { CHANGEFLOW_LAB_WORLD_URL: 'http://127.0.0.1:9' })).worldUrl).toBe('http://127.0.0.1:9');
  });

  it('finds the file as kubectl does and explains a missing context', async () => {
    expect(kubeconfigPath(undefined, { KUBECONFIG: ':/a/config:/b/config' })).toBe('/a/config');
    expect(kubeconfigPath('/flag', { KUBECONFIG: '/a' })).toBe('/flag');
    await expect(clusterAccess(join(dir, 'kubeconfig'), 'other', {})).rejects.toThrow('context "other" not found');
    await expect(clusterAccess(join(dir, 'missing'), undefined, {})).rejects.toThrow(/cannot read kubeconfig .*missing.*; pass --kubeconfig or set KUBECONFIG/);
  });
});
